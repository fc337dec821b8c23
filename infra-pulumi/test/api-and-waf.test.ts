import { beforeAll, describe, expect, it } from "vitest";
import { type DeclaredResource, declareWithMocks, ofType, single, testConfig } from "./harness.js";

let resources: DeclaredResource[];
beforeAll(async () => {
  resources = await declareWithMocks(testConfig("prod"));
});

describe("core HTTP API", () => {
  it("requires IAM authorization on every route of every region's API", () => {
    const routes = ofType(resources, "aws:apigatewayv2/route:Route");
    expect(routes.map((r) => r.inputs.routeKey).sort()).toEqual([
      "ANY /app/{proxy+}",
      "ANY /app/{proxy+}",
      "ANY /dashboard/{proxy+}",
      "ANY /dashboard/{proxy+}",
    ]);
    for (const route of routes) expect(route.inputs.authorizationType).toBe("AWS_IAM");
  });

  it("throttles by default and writes access logs on each stage", () => {
    for (const stage of ofType(resources, "aws:apigatewayv2/stage:Stage")) {
      expect(stage.inputs.defaultRouteSettings).toMatchObject({ throttlingBurstLimit: 500, throttlingRateLimit: 1000 });
      const logs = stage.inputs.accessLogSettings as { destinationArn: string; format: string };
      expect(logs.destinationArn).toContain("core-api-access-logs");
      expect(JSON.parse(logs.format)).toMatchObject({
        requestId: "$context.requestId",
        caller: "$context.identity.userArn",
      });
    }
  });

  it("lets only API Gateway invoke the api function's live alias", () => {
    const permission = single(
      resources,
      "aws:lambda/permission:Permission",
      "questline-prod-eu-west-1-core-api-invoke",
    );
    expect(permission.inputs.principal).toBe("apigateway.amazonaws.com");
    expect(permission.inputs.qualifier).toBe("live");
    expect(permission.inputs.sourceArn).toBe(
      "arn:aws:execute-api:eu-west-1:123456789012:questline-prod-eu-west-1-core-api-id/*/*",
    );
  });

  it("alarms on 5xx and p99 latency per region", () => {
    const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").filter(
      (a) => a.inputs.namespace === "AWS/ApiGateway",
    );
    expect(alarms.map((a) => a.inputs.name).sort()).toEqual([
      "questline-prod-eu-north-1-core-api-5xx",
      "questline-prod-eu-north-1-core-api-p99-latency",
      "questline-prod-eu-west-1-core-api-5xx",
      "questline-prod-eu-west-1-core-api-p99-latency",
    ]);
    const latency = alarms.find((a) => String(a.inputs.name).endsWith("eu-west-1-core-api-p99-latency"));
    expect(latency?.inputs).toMatchObject({ metricName: "Latency", extendedStatistic: "p99", threshold: 1500 });
  });
});

describe("WAF", () => {
  it("attaches a regional web ACL with rate-based rules", () => {
    const acl = single(resources, "aws:wafv2/webAcl:WebAcl");
    expect(acl.inputs.scope).toBe("REGIONAL");
    const rules = acl.inputs.rules as {
      name: string;
      statement: { rateBasedStatement?: { limit: number; aggregateKeyType: string } };
    }[];
    const rateRules = rules.filter((r) => r.statement.rateBasedStatement);
    expect(rateRules.map((r) => [r.name, r.statement.rateBasedStatement?.limit])).toEqual([
      ["rate-limit-per-ip", 2000],
      ["rate-limit-token-endpoint", 300],
    ]);
    const association = single(resources, "aws:wafv2/webAclAssociation:WebAclAssociation");
    expect(association.inputs.webAclArn).toBe(`arn:aws:wafv2:eu-west-1:123456789012:${acl.name}`);
    expect(association.inputs.resourceArn).toMatch(/^arn:aws:cognito-idp:eu-west-1:123456789012:userpool\//);
  });
});

describe("region failover", () => {
  it("routes the core domain PRIMARY to the active region and SECONDARY to the other, each with a health check", () => {
    const records = ofType(resources, "aws:route53/record:Record").filter((r) => r.inputs.failoverRoutingPolicies);
    expect(records).toHaveLength(2);
    const byRole = Object.fromEntries(
      records.map((r) => [(r.inputs.failoverRoutingPolicies as { type: string }[])[0]?.type, r.inputs]),
    );
    expect(byRole.PRIMARY?.name).toBe("core.prod.questline.example");
    expect((byRole.PRIMARY?.aliases as { name: string }[] | undefined)?.[0]?.name).toContain("eu-west-1");
    expect((byRole.SECONDARY?.aliases as { name: string }[] | undefined)?.[0]?.name).toContain("eu-north-1");
    const healthChecks = ofType(resources, "aws:route53/healthCheck:HealthCheck");
    expect(healthChecks.map((h) => [h.inputs.type, h.inputs.cloudwatchAlarmRegion])).toEqual([
      ["CLOUDWATCH_METRIC", "eu-west-1"],
      ["CLOUDWATCH_METRIC", "eu-north-1"],
    ]);
    expect(byRole.PRIMARY?.healthCheckId).toBe("questline-prod-eu-west-1-core-health-id");
  });

  it("swaps the roles and the edge's signing region when the replica region is active", async () => {
    const failedOver = await declareWithMocks(testConfig("staging", { activeRegion: "eu-north-1" }));
    const records = ofType(failedOver, "aws:route53/record:Record").filter(
      (r) => r.inputs.failoverRoutingPolicies && String(r.inputs.name).includes("staging"),
    );
    const primary = records.find(
      (r) => (r.inputs.failoverRoutingPolicies as { type: string }[])[0]?.type === "PRIMARY",
    );
    expect((primary?.inputs.aliases as { name: string }[] | undefined)?.[0]?.name).toContain("eu-north-1");
    const apiWorker = single(failedOver, "cloudflare:index/workersScript:WorkersScript", "questline-api-staging");
    const bindings = apiWorker.inputs.bindings as { name: string; text?: string }[];
    expect(bindings.find((b) => b.name === "CORE_REGION")?.text).toBe("eu-north-1");
    const mappings = ofType(failedOver, "aws:lambda/eventSourceMapping:EventSourceMapping").filter((m) =>
      String(m.inputs.functionName).includes("staging"),
    );
    expect(
      mappings.map((m) => [String(m.inputs.functionName).includes("eu-north-1"), m.inputs.enabled]).sort(),
    ).toEqual([
      [false, false],
      [true, true],
    ]);
  });
});
