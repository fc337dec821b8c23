import { beforeAll, describe, expect, it } from "vitest";
import { type DeclaredResource, declareWithMocks, ofType, single, testConfig } from "./harness.js";

let resources: DeclaredResource[];
beforeAll(async () => {
  resources = await declareWithMocks(testConfig("prod"));
});
const KMS = /^arn:aws:kms:(eu-west-1|eu-north-1):123456789012:/;

describe("encryption at rest everywhere", () => {
  it.each([
    ["aws:sqs/queue:Queue", "kmsMasterKeyId"],
    ["aws:secretsmanager/secret:Secret", "kmsKeyId"],
    ["aws:cloudwatch/logGroup:LogGroup", "kmsKeyId"],
    ["aws:sns/topic:Topic", "kmsMasterKeyId"],
    ["aws:memorydb/cluster:Cluster", "kmsKeyArn"],
    ["aws:backup/vault:Vault", "kmsKeyArn"],
    ["aws:lambda/function:Function", "kmsKeyArn"],
    ["aws:scheduler/schedule:Schedule", "kmsKeyArn"],
  ])("%s uses the customer-managed key (%s)", (type, field) => {
    const declared = ofType(resources, type);
    expect(declared.length).toBeGreaterThan(0);
    for (const resource of declared) expect(resource.inputs[field], resource.name).toMatch(KMS);
  });

  it("keeps each region's resources on that region's key", () => {
    for (const queue of ofType(resources, "aws:sqs/queue:Queue")) {
      const region = queue.name.includes("eu-north-1") ? "eu-north-1" : "eu-west-1";
      expect(String(queue.inputs.kmsMasterKeyId)).toContain(`:${region}:`);
    }
    expect(single(resources, "aws:kms/replicaKey:ReplicaKey").provider).toContain("aws-eu-north-1");
  });

  it("stores secrets as Pulumi secrets", async () => {
    const { containsSecret } = await import("./harness.js");
    for (const version of ofType(resources, "aws:secretsmanager/secretVersion:SecretVersion")) {
      expect(containsSecret(version.rawInputs.secretString), version.name).toBe(true);
    }
  });
});

describe("AWS Backup", () => {
  it("backs up both tables daily for 35 days with a copy in the replica region", () => {
    const plan = single(resources, "aws:backup/plan:Plan").inputs;
    const rules = plan.rules as {
      schedule: string;
      lifecycle: { deleteAfter: number };
      targetVaultName: string;
      copyActions: { destinationVaultArn: string; lifecycle: { deleteAfter: number } }[];
    }[];
    expect(rules).toHaveLength(1);
    expect(rules[0]?.schedule).toBe("cron(0 3 * * ? *)");
    expect(rules[0]?.lifecycle.deleteAfter).toBe(35);
    expect(rules[0]?.targetVaultName).toBe("questline-prod-eu-west-1-backup-vault");
    expect(rules[0]?.copyActions).toEqual([
      {
        destinationVaultArn: "arn:aws:backup:eu-north-1:123456789012:questline-prod-eu-north-1-backup-vault",
        lifecycle: { deleteAfter: 35 },
      },
    ]);
    const selection = single(resources, "aws:backup/selection:Selection").inputs;
    expect(selection.resources).toEqual([
      "arn:aws:dynamodb:eu-west-1:123456789012:table/questline-prod-eu-west-1-main",
      "arn:aws:dynamodb:eu-west-1:123456789012:table/questline-prod-eu-west-1-idempotency",
    ]);
    expect(single(resources, "aws:backup/vault:Vault", "eu-north-1").provider).toContain("aws-eu-north-1");
  });
});
