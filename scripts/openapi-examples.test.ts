import { readFileSync } from "node:fs";
import { ContractDocument, encodePointer } from "@questline/contract-testing";
import { describe, expect, it } from "vitest";

/**
 * docs/openapi.json: every operation shows an example request body and an example answer for
 * each JSON success response, and each example is valid against its own schema (checked with
 * the contract checker's validator, so the examples cannot drift from the shapes clients get).
 */
const document = JSON.parse(readFileSync(new URL("../docs/openapi.json", import.meta.url), "utf8"));
const contract = new ContractDocument({ name: "docs/openapi.json", document });
const METHODS = ["get", "put", "post", "delete", "patch"];

const cases: { label: string; pointer: string; media: { example?: unknown; examples?: unknown } }[] = [];
type Item = Record<string, Record<string, unknown>>;
const items = [
  ...Object.entries(document.paths as Record<string, Item>).map(([path, item]) => ({ path, item, root: "paths" })),
  ...Object.entries((document.webhooks ?? {}) as Record<string, Item>).map(([path, item]) => ({
    path,
    item,
    root: "webhooks",
  })),
];
for (const { path, item, root } of items) {
  for (const method of METHODS) {
    const operation = item[method];
    if (!operation) continue;
    const base = `#/${root}/${encodePointer(path)}/${method}`;
    const body = (operation.requestBody as { content?: Record<string, object> } | undefined)?.content?.[
      "application/json"
    ];
    if (body)
      cases.push({ label: `${method.toUpperCase()} ${path} request`, pointer: `${base}/requestBody`, media: body });
    for (const [status, response] of Object.entries(
      (operation.responses ?? {}) as Record<string, { content?: Record<string, object> }>,
    )) {
      const json = response.content?.["application/json"];
      if (/^2/.test(status) && json)
        cases.push({
          label: `${method.toUpperCase()} ${path} ${status}`,
          pointer: `${base}/responses/${status}`,
          media: json,
        });
    }
  }
}

describe("docs/openapi.json examples", () => {
  it("covers the whole API and the webhook catalog", () => {
    expect(cases.length).toBeGreaterThan(200);
    expect(cases.filter((c) => c.pointer.startsWith("#/webhooks/")).length).toBeGreaterThanOrEqual(9);
  });

  it("has an example for every JSON request body and success answer, valid against its schema", () => {
    const problems: string[] = [];
    for (const { label, pointer, media } of cases) {
      const example =
        media.example ?? Object.values((media.examples ?? {}) as Record<string, { value?: unknown }>)[0]?.value;
      if (example === undefined) {
        problems.push(`${label}: no example`);
        continue;
      }
      for (const mismatch of contract.validateAt(`${pointer}/content/application~1json/schema`, example)) {
        problems.push(`${label}: ${mismatch.pointer} ${mismatch.message}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
