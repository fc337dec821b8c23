import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { PENDING } from "@questline/contract-testing";
import { describe, expect, it } from "vitest";

/**
 * docs/reference-deviations.md lists every difference from the AWorld reference. Its "Known
 * gaps" part must name exactly the paths the contract checker lets differ from the reference
 * (its pending list, `against: "reference"`): a gap the checker tolerates is never undocumented,
 * and a fixed gap (entry deleted) does not linger in the docs.
 */
const doc = readFileSync(resolve(import.meta.dirname, "../docs/reference-deviations.md"), "utf8");

function knownGaps(): string[] {
  const section = doc.split(/^## 2\. Known gaps.*$/m)[1] ?? "";
  return [...section.matchAll(/^- `([^`]+)`/gm)].map((m) => m[1] as string).sort();
}

describe("docs/reference-deviations.md", () => {
  it("names exactly the paths the contract checker lets differ from the reference", () => {
    const pending = [...new Set(PENDING.filter((e) => e.against === "reference").map((e) => e.path))].sort();
    expect(pending.length).toBeGreaterThan(0);
    expect(knownGaps()).toEqual(pending);
  });

  it("gives every deliberate deviation a reason", () => {
    const table = (doc.split(/^## 1\. Deliberate deviations$/m)[1] ?? "").split(/^## 2\./m)[0] ?? "";
    const rows = table
      .split("\n")
      .filter((line) => line.startsWith("| ") && !line.startsWith("| Where") && !line.startsWith("|---"));
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      const cells = row
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim());
      expect(cells, row).toHaveLength(4);
      expect(cells[3]?.length ?? 0, row).toBeGreaterThan(10);
    }
  });
});
