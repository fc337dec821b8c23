import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { readDefaultPolicies } from "../src/aws/authorization-policy-store.js";
import { type DeclaredResource, declareWithMocks, ofType, testConfig } from "./harness.js";

let resources: DeclaredResource[];
beforeAll(async () => {
  resources = await declareWithMocks(testConfig("prod"));
});

const schemaFile = JSON.parse(readFileSync(new URL("../../docs/authorization/schema.json", import.meta.url), "utf8"));

describe("Verified Permissions", () => {
  it("declares one STRICT policy store per region, protected from deletion in prod", () => {
    const stores = ofType(resources, "aws:verifiedpermissions/policyStore:PolicyStore");
    expect(stores.map((s) => s.name).sort()).toEqual([
      "questline-prod-eu-north-1-authorization",
      "questline-prod-eu-west-1-authorization",
    ]);
    for (const store of stores) {
      expect(store.inputs.validationSettings).toEqual({ mode: "STRICT" });
      expect(store.inputs.deletionProtection).toBe("ENABLED");
    }
  });

  it("loads the core's generated schema into each store", () => {
    const schemas = ofType(resources, "aws:verifiedpermissions/schema:Schema");
    expect(schemas).toHaveLength(2);
    for (const schema of schemas) {
      const value = JSON.parse(String((schema.inputs.definition as { value: string }).value));
      expect(value).toEqual(schemaFile);
      expect(Object.keys(value.Questline.actions)).toContain("dashboard/virtualTransactions/create");
    }
  });

  it("declares every default policy, with its description, in each store", () => {
    const defaults = readDefaultPolicies();
    expect(defaults.map((p) => p.id)).toContain("guardrail/viewers-never-write");
    const policies = ofType(resources, "aws:verifiedpermissions/policy:Policy");
    expect(policies).toHaveLength(defaults.length * 2);
    const statements = policies.map(
      (p) => (p.inputs.definition as { static: { statement: string; description: string } }).static,
    );
    for (const policy of defaults) {
      const declared = statements.filter((s) => s.statement === policy.statement);
      expect(declared, policy.id).toHaveLength(2);
      expect(declared[0]?.description).toBe(policy.description);
      expect(policy.statement).not.toMatch(/^@/m);
    }
  });
});
