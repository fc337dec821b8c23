import { beforeAll, describe, expect, it } from "vitest";
import { edgeName, resourceName } from "../src/naming.js";
import { type DeclaredResource, declareWithMocks, ofType, testConfig } from "./harness.js";

let resources: DeclaredResource[];
beforeAll(async () => {
  resources = await declareWithMocks(testConfig("staging"));
});

/** AWS resource types whose `name` input is the cloud-side name. */
const NAMED_TYPES = [
  "aws:dynamodb/table:Table",
  "aws:lambda/function:Function",
  "aws:iam/role:Role",
  "aws:sqs/queue:Queue",
  "aws:sns/topic:Topic",
  "aws:secretsmanager/secret:Secret",
  "aws:apigatewayv2/api:Api",
  "aws:memorydb/acl:Acl",
  "aws:memorydb/subnetGroup:SubnetGroup",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:scheduler/schedule:Schedule",
  "aws:wafv2/webAcl:WebAcl",
  "aws:cognito/userPool:UserPool",
  "aws:backup/vault:Vault",
  "aws:backup/plan:Plan",
  "aws:iam/user:User",
];

describe("naming and tagging", () => {
  it("puts project, stack and region in every AWS name", () => {
    for (const type of NAMED_TYPES) {
      const declared = ofType(resources, type);
      expect(declared.length, type).toBeGreaterThan(0);
      for (const resource of declared)
        expect(String(resource.inputs.name), type).toMatch(/questline-staging-eu-(west|north)-1-/);
    }
  });

  it("tags everything in a region through the provider's default tags", () => {
    const providers = ofType(resources, "pulumi:providers:aws");
    expect(providers.map((p) => p.inputs.defaultTags as string).map((t) => JSON.parse(t).tags)).toEqual([
      { project: "questline", stack: "staging", region: "eu-west-1", "managed-by": "pulumi" },
      { project: "questline", stack: "staging", region: "eu-north-1", "managed-by": "pulumi" },
    ]);
    const awsResources = resources.filter((r) => r.type.startsWith("aws:"));
    expect(awsResources.every((r) => r.provider?.includes("pulumi:providers:aws::aws-eu-"))).toBe(true);
  });

  it("builds names from the scope", () => {
    expect(resourceName({ project: "questline", stack: "prod", region: "eu-west-1" }, "api")).toBe(
      "questline-prod-eu-west-1-api",
    );
    expect(edgeName("questline-api", "prod")).toBe("questline-api");
    expect(edgeName("questline-api", "dev")).toBe("questline-api-dev");
  });
});
