import { beforeAll, describe, expect, it } from "vitest";
import { type DeclaredResource, declareWithMocks, ofType, single, testConfig } from "./harness.js";

const TABLE = "aws:dynamodb/table:Table";

describe("DynamoDB global tables (prod)", () => {
  let resources: DeclaredResource[];
  beforeAll(async () => {
    resources = await declareWithMocks(testConfig("prod"));
  });

  it("declares the main table with aws-core's keys, GSIs and TTL", () => {
    const main = single(resources, TABLE, "main").inputs;
    expect(main.name).toBe("questline-prod-eu-west-1-main");
    expect(main.hashKey).toBe("pk");
    expect(main.rangeKey).toBe("sk");
    expect(main.billingMode).toBe("PAY_PER_REQUEST");
    expect(main.ttl).toEqual({ attributeName: "ttl", enabled: true });
    expect(main.globalSecondaryIndexes).toEqual([
      { name: "gsi1", hashKey: "gsi1pk", rangeKey: "gsi1sk", projectionType: "ALL" },
      { name: "gsi2", hashKey: "gsi2pk", rangeKey: "gsi2sk", projectionType: "ALL" },
    ]);
    const attributeTypes = Object.fromEntries(
      (main.attributes as { name: string; type: string }[]).map((a) => [a.name, a.type]),
    );
    expect(attributeTypes).toEqual({ pk: "S", sk: "S", gsi1pk: "S", gsi1sk: "S", gsi2pk: "S", gsi2sk: "S" });
  });

  it("declares the idempotency table keyed by id with TTL on expiration", () => {
    const idempotency = single(resources, TABLE, "idempotency").inputs;
    expect(idempotency.hashKey).toBe("id");
    expect(idempotency.rangeKey).toBeUndefined();
    expect(idempotency.ttl).toEqual({ attributeName: "expiration", enabled: true });
  });

  it("turns on streams (NEW_AND_OLD_IMAGES), PITR and a replica in eu-north-1 for both tables", () => {
    for (const table of ofType(resources, TABLE)) {
      expect(table.inputs.streamEnabled).toBe(true);
      expect(table.inputs.streamViewType).toBe("NEW_AND_OLD_IMAGES");
      expect(table.inputs.pointInTimeRecovery).toEqual({ enabled: true });
      const replicas = table.inputs.replicas as {
        regionName: string;
        pointInTimeRecovery: boolean;
        kmsKeyArn?: string;
      }[];
      expect(replicas.map((r) => r.regionName)).toEqual(["eu-north-1"]);
      expect(replicas[0]?.pointInTimeRecovery).toBe(true);
      expect(replicas[0]?.kmsKeyArn).toMatch(/^arn:aws:kms:eu-north-1:/);
    }
  });

  it("encrypts both tables with the customer-managed multi-region key", () => {
    const primaryKey = single(resources, "aws:kms/key:Key");
    expect(primaryKey.inputs.multiRegion).toBe(true);
    expect(primaryKey.inputs.enableKeyRotation).toBe(true);
    for (const table of ofType(resources, TABLE)) {
      const sse = table.inputs.serverSideEncryption as { enabled: boolean; kmsKeyArn: string };
      expect(sse.enabled).toBe(true);
      expect(sse.kmsKeyArn).toMatch(/^arn:aws:kms:eu-west-1:/);
    }
  });

  it("enables deletion protection in prod, on the tables and their replicas", () => {
    for (const table of ofType(resources, TABLE)) {
      expect(table.inputs.deletionProtectionEnabled).toBe(true);
      const replicas = table.inputs.replicas as { deletionProtectionEnabled: boolean }[];
      expect(replicas.every((r) => r.deletionProtectionEnabled)).toBe(true);
    }
    expect(single(resources, "aws:cognito/userPool:UserPool").inputs.deletionProtection).toBe("ACTIVE");
  });
});

describe("DynamoDB global tables (dev)", () => {
  it("leaves deletion protection off outside prod", async () => {
    const resources = await declareWithMocks(testConfig("dev"));
    const tables = ofType(resources, TABLE).filter((t) => String(t.inputs.name).startsWith("questline-dev-"));
    expect(tables).toHaveLength(2);
    expect(tables.every((t) => t.inputs.deletionProtectionEnabled === false)).toBe(true);
  });
});
