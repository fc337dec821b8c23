import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createApp } from "../app/create-app";
import { actionCatalogOf, CedarEngine, cedarSchema } from "./index";

/** docs/authorization.md's policy examples are real: each validates against the schema. */
const doc = readFileSync(new URL("../../../docs/authorization.md", import.meta.url), "utf8");
const examples = [...doc.matchAll(/```cedar\n([\s\S]*?)```/g)].map((m) => (m[1] as string).trim());
const engine = new CedarEngine(cedarSchema(actionCatalogOf(createApp()).actions));

describe("docs/authorization.md", () => {
  it("has policy examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });
  for (const [i, statement] of examples.entries()) {
    it(`example ${i + 1} validates against the schema`, () => {
      expect(engine.validate([{ id: `example-${i + 1}`, description: "", statement }])).toEqual([]);
    });
  }
});
