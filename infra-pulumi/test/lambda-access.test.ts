import { beforeAll, describe, expect, it } from "vitest";
import { ALLOWED_MANAGED_POLICIES } from "../src/aws/core-function.js";
import { containsSecret, type DeclaredResource, declareWithMocks, ofType, single, testConfig } from "./harness.js";

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

let resources: DeclaredResource[];
beforeAll(async () => {
  resources = await declareWithMocks(testConfig("prod"));
});

const PRIMARY = "questline-prod-eu-west-1";
const REPLICA = "questline-prod-eu-north-1";
const MAIN_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/questline-prod-eu-west-1-main";
const IDEMPOTENCY_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/questline-prod-eu-west-1-idempotency";

function statementsOf(functionName: string): Statement[] {
  const policy = single(resources, "aws:iam/rolePolicy:RolePolicy", `${functionName}-access`);
  return (JSON.parse(String(policy.inputs.policy)) as { Statement: Statement[] }).Statement;
}
const actionsOn = (statements: Statement[], resource: string) =>
  statements
    .filter((s) => s.Resource.includes(resource))
    .flatMap((s) => s.Action)
    .sort();

describe("Lambda functions", () => {
  it("declares the five handlers per region they belong to, bundled for Node 24 on arm64 with X-Ray", () => {
    const functions = ofType(resources, "aws:lambda/function:Function");
    expect(functions.map((f) => f.inputs.name).sort()).toEqual(
      [
        `${REPLICA}-api`,
        `${REPLICA}-scheduled`,
        `${REPLICA}-stream`,
        `${REPLICA}-webhooks`,
        `${PRIMARY}-api`,
        `${PRIMARY}-pre-token`,
        `${PRIMARY}-scheduled`,
        `${PRIMARY}-stream`,
        `${PRIMARY}-webhooks`,
      ].sort(),
    );
    for (const fn of functions) {
      expect(fn.inputs.runtime).toBe("nodejs24.x");
      expect(fn.inputs.architectures).toEqual(["arm64"]);
      expect(fn.inputs.tracingConfig).toEqual({ mode: "Active" });
      expect(fn.inputs.kmsKeyArn).toMatch(/^arn:aws:kms:/);
    }
  });

  it("gives each function its own log group with retention, encrypted", () => {
    for (const fn of ofType(resources, "aws:lambda/function:Function")) {
      const logGroup = single(resources, "aws:cloudwatch/logGroup:LogGroup", `${String(fn.inputs.name)}-logs`);
      expect(logGroup.inputs.name).toBe(`/aws/lambda/${String(fn.inputs.name)}`);
      expect(logGroup.inputs.retentionInDays).toBe(30);
      expect(logGroup.inputs.kmsKeyId).toMatch(/^arn:aws:kms:/);
    }
  });

  it("applies reserved and provisioned concurrency from config", () => {
    const api = single(resources, "aws:lambda/function:Function", `${PRIMARY}-api`);
    expect(api.inputs.reservedConcurrentExecutions).toBe(200);
    const provisioned = single(
      resources,
      "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
      `${PRIMARY}-api`,
    );
    expect(provisioned.inputs.provisionedConcurrentExecutions).toBe(2);
    expect(provisioned.inputs.qualifier).toBe("live");
    const preToken = single(resources, "aws:lambda/function:Function", `${PRIMARY}-pre-token`);
    expect(preToken.inputs.reservedConcurrentExecutions).toBe(-1);
  });

  it("passes the environment the handlers read", () => {
    const env = (name: string) =>
      (
        single(resources, "aws:lambda/function:Function", name).inputs.environment as {
          variables: Record<string, string>;
        }
      ).variables;
    expect(env(`${PRIMARY}-api`)).toMatchObject({
      TABLE_NAME: `${PRIMARY}-main`,
      IDEMPOTENCY_TABLE_NAME: `${PRIMARY}-idempotency`,
      REDIS_URL: expect.stringMatching(/^rediss:\/\/questline-prod-eu-west-1-core@clustercfg\..+:6379$/),
      REDIS_PASSWORD_SECRET_ARN: expect.stringContaining("redis-password"),
      PAGINATION_SECRET: "pagination-secret",
      POWERTOOLS_SERVICE_NAME: "questline-api",
      LOG_LEVEL: "info",
    });
    // The pagination key reaches the function as a secret (encrypted state, masked in previews).
    const apiInputs = single(resources, "aws:lambda/function:Function", `${PRIMARY}-api`).rawInputs;
    expect(containsSecret((apiInputs as { environment?: unknown }).environment)).toBe(true);
    expect(env(`${PRIMARY}-stream`)).toMatchObject({
      TABLE_NAME: `${PRIMARY}-main`,
      CONFIG_PARAMETER_PATH: "/questline/prod",
      INDEXER_SIGNING_SECRET_ARN: expect.stringContaining("indexer-signing-key"),
      INDEXER_REGION: "auto",
    });
    expect(env(`${REPLICA}-api`).REDIS_URL).toContain("eu-north-1");
  });

  it("puts api and scheduled in the VPC and keeps stream (needs internet) and pre-token out", () => {
    const vpcOf = (name: string) =>
      single(resources, "aws:lambda/function:Function", name).inputs.vpcConfig as { subnetIds: string[] } | undefined;
    expect(vpcOf(`${PRIMARY}-api`)?.subnetIds).toHaveLength(3);
    expect(vpcOf(`${PRIMARY}-scheduled`)?.subnetIds).toHaveLength(3);
    expect(vpcOf(`${PRIMARY}-stream`)).toBeUndefined();
    expect(vpcOf(`${PRIMARY}-pre-token`)).toBeUndefined();
  });
});

describe("least-privilege IAM", () => {
  it("never uses a wildcard action or a bare * resource in any function policy", () => {
    const functionPolicies = ofType(resources, "aws:iam/rolePolicy:RolePolicy").filter((p) =>
      p.name.endsWith("-access"),
    );
    expect(functionPolicies.length).toBeGreaterThanOrEqual(7);
    for (const policy of functionPolicies) {
      for (const statement of (JSON.parse(String(policy.inputs.policy)) as { Statement: Statement[] }).Statement) {
        expect(statement.Effect).toBe("Allow");
        for (const action of statement.Action) expect(action, `${policy.name}: ${action}`).not.toContain("*");
        for (const resource of statement.Resource) {
          expect(resource, `${policy.name}`).not.toBe("*");
          expect(resource).toMatch(/^arn:aws:[a-z0-9-]+:(eu-west-1|eu-north-1):123456789012:/);
        }
      }
    }
  });

  it("attaches only the AWS-managed policies for X-Ray and (in the VPC) ENI management", () => {
    const allowed = Object.values(ALLOWED_MANAGED_POLICIES) as string[];
    const functionAttachments = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
      (a) => !a.name.includes("backup"),
    );
    for (const attachment of functionAttachments) expect(allowed).toContain(attachment.inputs.policyArn);
    const vpcAccess = functionAttachments
      .filter((a) => a.inputs.policyArn === ALLOWED_MANAGED_POLICIES.vpcAccess)
      .map((a) => a.name);
    expect(vpcAccess.every((name) => name.includes("-api-") || name.includes("-scheduled-"))).toBe(true);
    expect(vpcAccess).toHaveLength(4);
  });

  it("lets the api handler read/write the main table, its GSIs and the idempotency table, nothing else in DynamoDB", () => {
    const statements = statementsOf(`${PRIMARY}-api`);
    expect(actionsOn(statements, MAIN_ARN)).toEqual([
      "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]);
    expect(actionsOn(statements, `${MAIN_ARN}/index/gsi1`)).toEqual(["dynamodb:Query"]);
    expect(actionsOn(statements, `${MAIN_ARN}/index/gsi2`)).toEqual(["dynamodb:Query"]);
    expect(actionsOn(statements, IDEMPOTENCY_ARN)).toContain("dynamodb:PutItem");
    expect(statements.flatMap((s) => s.Action)).not.toContain("dynamodb:GetRecords");
    const secrets = statements
      .filter((s) => s.Action.includes("secretsmanager:GetSecretValue"))
      .flatMap((s) => s.Resource);
    expect(secrets).toHaveLength(1);
    expect(secrets[0]).toContain("redis-password");
  });

  it("lets the stream handler read the stream, its signing secret and write its DLQ; it writes only webhook partitions", () => {
    const statements = statementsOf(`${PRIMARY}-stream`);
    const streamStatement = statements.find((s) => s.Sid === "ReadTableStream");
    expect(streamStatement?.Resource).toEqual([`${MAIN_ARN}/stream/2026-01-01T00:00:00.000`]);
    const writes = statements.filter((s) =>
      s.Action.some((a) => ["dynamodb:PutItem", "dynamodb:UpdateItem"].includes(a)),
    );
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({
      Sid: "WebhookDeliveriesWrite",
      Resource: [MAIN_ARN],
      Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["WS#*#WEBHOOK#*"] } },
    });
    const actions = statements.flatMap((s) => s.Action);
    expect(actions).not.toContain("dynamodb:DeleteItem");
    expect(actions).not.toContain("dynamodb:BatchWriteItem");
    expect(statements.find((s) => s.Action.includes("sqs:SendMessage"))?.Resource[0]).toContain("stream-failures");
    expect(statements.find((s) => s.Action.includes("secretsmanager:GetSecretValue"))?.Resource[0]).toContain(
      "indexer-signing-key",
    );
  });

  it("runs the webhook runner outside the VPC, reading the table and writing only webhook partitions", () => {
    const statements = statementsOf(`${PRIMARY}-webhooks`);
    const writes = statements.filter((s) =>
      s.Action.some((a) => a.startsWith("dynamodb:") && /Put|Update|Delete|Write/.test(a)),
    );
    expect(writes.map((s) => s.Condition)).toEqual([
      { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["WS#*#WEBHOOK#*"] } },
    ]);
    const fn = single(resources, "aws:lambda/function:Function", `${PRIMARY}-webhooks`);
    expect(fn.inputs.vpcConfig).toBeUndefined();
    expect((fn.inputs.environment as { variables: Record<string, string> }).variables.WEBHOOKS_ENABLED).toBe("true");
  });

  it("uses the replica's own table and stream ARNs in the replica region", () => {
    const statements = statementsOf(`${REPLICA}-stream`);
    expect(statements.find((s) => s.Sid === "ReadTableStream")?.Resource[0]).toMatch(
      /^arn:aws:dynamodb:eu-north-1:.*\/stream\//,
    );
    const apiResources = statementsOf(`${REPLICA}-api`).flatMap((s) => s.Resource);
    expect(apiResources.every((r) => r.includes(":eu-north-1:"))).toBe(true);
  });

  it("gives the pre-token trigger read-only access to the main table", () => {
    const actions = statementsOf(`${PRIMARY}-pre-token`)
      .filter((s) => s.Action.some((a) => a.startsWith("dynamodb:")))
      .flatMap((s) => s.Action);
    expect(new Set(actions)).toEqual(new Set(["dynamodb:GetItem", "dynamodb:Query"]));
  });

  it("lets the edge IAM user do nothing but invoke the core APIs", () => {
    const edgePolicy = single(resources, "aws:iam/userPolicy:UserPolicy", "-edge-invoke-core");
    const policy = JSON.parse(String(edgePolicy.inputs.policy)) as {
      Statement: Statement[];
    };
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]?.Action).toEqual(["execute-api:Invoke"]);
    expect(policy.Statement[0]?.Resource).toEqual([
      "arn:aws:execute-api:eu-west-1:123456789012:questline-prod-eu-west-1-core-api-id/*/*",
      "arn:aws:execute-api:eu-north-1:123456789012:questline-prod-eu-north-1-core-api-id/*/*",
    ]);
  });
});
