import { CONFIG_DEFAULTS, CONFIG_PARAMETERS, type ConfigKey } from "@questline/aws-core/config-parameters";
import { beforeAll, describe, expect, it } from "vitest";
import { coreParameterValues } from "../src/aws/core-parameters.js";
import { type DeclaredResource, declareWithMocks, ofType, single, testConfig } from "./harness.js";

interface Statement {
  Sid?: string;
  Action: string[];
  Resource: string[];
}

let resources: DeclaredResource[];
beforeAll(async () => {
  resources = await declareWithMocks(testConfig("prod"));
});

const REGIONS = ["eu-west-1", "eu-north-1"] as const;
const ENTRIES = Object.entries(CONFIG_PARAMETERS) as [ConfigKey, (typeof CONFIG_PARAMETERS)[ConfigKey]][];
/** What the stage should hold: the harness's overrides, the platform's indexer URL, else the defaults. */
const EXPECTED: Record<string, string> = {
  ...Object.fromEntries(
    ENTRIES.filter(([key]) => CONFIG_DEFAULTS[key] !== undefined).map(([key, e]) => [
      e.name,
      String(CONFIG_DEFAULTS[key]),
    ]),
  ),
  "indexer/url": "https://indexer.questline.example",
  "media/public-url": "https://media.questline.example",
  "engine/config-cache-ms": "1000",
  "leaderboards/ended-retention-days": "90",
};

const parametersIn = (region: string) =>
  ofType(resources, "aws:ssm/parameter:Parameter").filter((p) => p.name.startsWith(`questline-prod-${region}-`));
const statementsOf = (fn: string) =>
  (
    JSON.parse(String(single(resources, "aws:iam/rolePolicy:RolePolicy", `${fn}-access`).inputs.policy)) as {
      Statement: Statement[];
    }
  ).Statement;
const environmentOf = (fn: string) =>
  (single(resources, "aws:lambda/function:Function", fn).inputs.environment as { variables: Record<string, string> })
    .variables;

describe("core configuration in SSM Parameter Store", () => {
  it("declares every aws-core parameter under /questline/<stage>/ in each region, as String, with the stage's values", () => {
    for (const region of REGIONS) {
      const declared = parametersIn(region);
      expect(Object.fromEntries(declared.map((p) => [String(p.inputs.name), p.inputs.value])), region).toEqual(
        Object.fromEntries(Object.entries(EXPECTED).map(([name, value]) => [`/questline/prod/${name}`, value])),
      );
      for (const parameter of declared) {
        expect(parameter.inputs.type).toBe("String");
        expect(parameter.inputs.tier).toBe("Standard");
        const entry = ENTRIES.find(([, e]) => `/questline/prod/${e.name}` === parameter.inputs.name)?.[1];
        expect(parameter.inputs.description).toBe(entry?.description);
      }
    }
    expect(Object.keys(EXPECTED)).toHaveLength(ENTRIES.length);
  });

  it("uses the stack's own path in another stage", async () => {
    const staging = await declareWithMocks(testConfig("staging"));
    const names = ofType(staging, "aws:ssm/parameter:Parameter").map((p) => String(p.inputs.name));
    expect(names.length).toBe(ENTRIES.length * 2);
    expect(names.every((name) => name.startsWith("/questline/staging/"))).toBe(true);
    // Re-declare prod for the other tests in this file's module cache.
    resources = await declareWithMocks(testConfig("prod"));
  });

  it("points the api, stream and scheduled Lambdas of both regions at the stage path", () => {
    for (const region of REGIONS) {
      for (const purpose of ["api", "stream", "scheduled"]) {
        const env = environmentOf(`questline-prod-${region}-${purpose}`);
        expect(env.CONFIG_PARAMETER_PATH, `${region} ${purpose}`).toBe("/questline/prod");
        // The settings themselves are no longer in the environment.
        expect(env.INDEXER_URL).toBeUndefined();
      }
    }
    expect(environmentOf("questline-prod-eu-west-1-pre-token").CONFIG_PARAMETER_PATH).toBeUndefined();
  });

  it("lets those Lambdas call ssm:GetParametersByPath on their stage path only, in their own region", () => {
    for (const region of REGIONS) {
      for (const purpose of ["api", "stream", "scheduled"]) {
        const statements = statementsOf(`questline-prod-${region}-${purpose}`);
        const ssm = statements.filter((s) => s.Action.some((a) => a.startsWith("ssm:")));
        expect(ssm, `${region} ${purpose}`).toEqual([
          {
            Sid: "ReadStageConfiguration",
            Effect: "Allow",
            Action: ["ssm:GetParametersByPath"],
            Resource: [
              `arn:aws:ssm:${region}:123456789012:parameter/questline/prod`,
              `arn:aws:ssm:${region}:123456789012:parameter/questline/prod/*`,
            ],
          },
        ]);
      }
    }
    const preToken = statementsOf("questline-prod-eu-west-1-pre-token");
    expect(preToken.flatMap((s) => s.Action).filter((a) => a.startsWith("ssm:"))).toEqual([]);
  });

  it("refuses, at program time, a stack value the Lambdas would refuse at init, and unknown names", () => {
    const derived = { "indexer/url": "https://indexer.questline.example" };
    expect(() => coreParameterValues({ overrides: { "indexer/timeout-ms": "fast" }, derived })).toThrow(
      "questline:coreParameters: indexer/timeout-ms: must be a whole number",
    );
    expect(() => coreParameterValues({ overrides: { "http/body-max-bytes": "10000000" }, derived })).toThrow(
      /http\/body-max-bytes: Too big/,
    );
    expect(() => coreParameterValues({ overrides: { "indexer/timeout": "5000" }, derived })).toThrow(
      /unknown parameter indexer\/timeout/,
    );
    expect(coreParameterValues({ overrides: { "indexer/timeout-ms": "5000" }, derived })["indexer/timeout-ms"]).toBe(
      "5000",
    );
  });
});
