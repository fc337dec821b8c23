import { defaultFlagsDocument, flagsDocumentSchema } from "@questline/aws-core/flags-catalog";
import { beforeAll, describe, expect, it } from "vitest";
import { flagsDocumentOf } from "../src/aws/feature-flags.js";
import { ACCOUNT_ID, type DeclaredResource, declareWithMocks, ofType, single, testConfig } from "./harness.js";

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
const inRegion = (type: string, region: string) =>
  ofType(resources, type).filter((r) => r.name.startsWith(`questline-prod-${region}-`));
const statementsOf = (fn: string) =>
  (
    JSON.parse(String(single(resources, "aws:iam/rolePolicy:RolePolicy", `${fn}-access`).inputs.policy)) as {
      Statement: Statement[];
    }
  ).Statement;
const environmentOf = (fn: string) =>
  (single(resources, "aws:lambda/function:Function", fn).inputs.environment as { variables: Record<string, string> })
    .variables;

describe("feature flags in AWS AppConfig", () => {
  it("declares per region an application, the stage's environment and a validated freeform profile", () => {
    for (const region of REGIONS) {
      const [app] = inRegion("aws:appconfig/application:Application", region);
      expect(app?.inputs.name).toBe("questline-prod");
      const envs = inRegion("aws:appconfig/environment:Environment", region);
      expect(envs.map((e) => [e.inputs.name, e.inputs.applicationId])).toEqual([["prod", `${app?.name}-id`]]);
      const [profile] = inRegion("aws:appconfig/configurationProfile:ConfigurationProfile", region);
      expect(profile?.inputs).toMatchObject({ name: "feature-flags", locationUri: "hosted", type: "AWS.Freeform" });
      const validators = profile?.inputs.validators as { type: string; content: string }[];
      expect(validators.map((v) => v.type)).toEqual(["JSON_SCHEMA"]);
      const schema = JSON.parse(validators[0]?.content ?? "{}") as { properties?: Record<string, unknown> };
      expect(Object.keys(schema.properties ?? {})).toEqual(["flags"]);
    }
  });

  it("deploys the committed defaults with a linear strategy (20 % a minute, then bake time)", () => {
    for (const region of REGIONS) {
      const [strategy] = inRegion("aws:appconfig/deploymentStrategy:DeploymentStrategy", region);
      expect(strategy?.inputs).toMatchObject({
        growthType: "LINEAR",
        growthFactor: 20,
        deploymentDurationInMinutes: 4,
        finalBakeTimeInMinutes: 5,
        replicateTo: "NONE",
      });
      const [version] = inRegion("aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion", region);
      expect(version?.inputs.contentType).toBe("application/json");
      expect(JSON.parse(String(version?.inputs.content))).toEqual(defaultFlagsDocument());
      const [deployment] = inRegion("aws:appconfig/deployment:Deployment", region);
      expect(deployment?.inputs).toMatchObject({
        configurationVersion: "1",
        deploymentStrategyId: `${strategy?.name}-id`,
        environmentId: `questline-prod-${region}-flags-env-envid`,
        configurationProfileId: `questline-prod-${region}-flags-profile-profileid`,
      });
    }
  });

  it("gives only the api Lambdas the ids and read access to this profile in this environment", () => {
    for (const region of REGIONS) {
      const env = environmentOf(`questline-prod-${region}-api`);
      expect(env).toMatchObject({
        APPCONFIG_APPLICATION: `questline-prod-${region}-flags-app-id`,
        APPCONFIG_ENVIRONMENT: `questline-prod-${region}-flags-env-envid`,
        APPCONFIG_FLAGS_PROFILE: `questline-prod-${region}-flags-profile-profileid`,
      });
      expect(env.APPCONFIG_ENDPOINT).toBeUndefined();
      const read = statementsOf(`questline-prod-${region}-api`).filter((s) =>
        s.Action.some((a) => a.startsWith("appconfig:")),
      );
      expect(read).toEqual([
        {
          Sid: "ReadFeatureFlags",
          Effect: "Allow",
          Action: ["appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration"],
          Resource: [
            `arn:aws:appconfig:${region}:${ACCOUNT_ID}:application/questline-prod-${region}-flags-app-id/environment/questline-prod-${region}-flags-env-envid/configuration/questline-prod-${region}-flags-profile-profileid`,
          ],
        },
      ]);
      for (const purpose of ["stream", "scheduled"]) {
        expect(environmentOf(`questline-prod-${region}-${purpose}`).APPCONFIG_APPLICATION).toBeUndefined();
        const other = statementsOf(`questline-prod-${region}-${purpose}`);
        expect(other.some((s) => s.Action.some((a) => a.startsWith("appconfig:")))).toBe(false);
      }
    }
  });

  it("deploys the stack's own document, and refuses one the core would reject", async () => {
    const rollout = {
      flags: { "workspace-policies": { enabled: true, rolloutPercent: 25, allow: ["ws-pilot"], deny: [] } },
    };
    const staged = await declareWithMocks(testConfig("staging", { featureFlags: rollout }));
    const versions = ofType(staged, "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion");
    expect(versions).toHaveLength(2);
    for (const v of versions) expect(JSON.parse(String(v.inputs.content))).toEqual(flagsDocumentSchema.parse(rollout));
    expect(() => flagsDocumentOf({ flags: { "workspace-policies": { enabled: true, rolloutPercent: 150 } } })).toThrow(
      /questline:featureFlags: flags\.workspace-policies\.rolloutPercent/,
    );
    resources = await declareWithMocks(testConfig("prod"));
  });
});
