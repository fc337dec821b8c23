import { beforeAll, describe, expect, it } from "vitest";
import { type DeclaredResource, declareWithMocks, ofType, single, testConfig } from "./harness.js";

let resources: DeclaredResource[];
beforeAll(async () => {
  resources = await declareWithMocks(testConfig("prod"));
});

const MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";

describe("DynamoDB stream → stream handler", () => {
  it("bisects, bounds retries and record age, and reports partial batch failures", () => {
    const mapping = single(resources, MAPPING, "eu-west-1").inputs;
    expect(mapping).toMatchObject({
      eventSourceArn:
        "arn:aws:dynamodb:eu-west-1:123456789012:table/questline-prod-eu-west-1-main/stream/2026-01-01T00:00:00.000",
      functionName: "questline-prod-eu-west-1-stream:live",
      batchSize: 100,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 5,
      maximumRecordAgeInSeconds: 3600,
      functionResponseTypes: ["ReportBatchItemFailures"],
      enabled: true,
    });
  });

  it("sends what still fails to the SQS DLQ, whose depth is alarmed", () => {
    const mapping = single(resources, MAPPING, "eu-west-1").inputs;
    const queue = single(resources, "aws:sqs/queue:Queue", "questline-prod-eu-west-1-stream-failures");
    const queueArn = `arn:aws:sqs:eu-west-1:123456789012:${queue.name}`;
    expect(mapping.destinationConfig).toEqual({ onFailure: { destinationArn: queueArn } });
    const depth = single(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "eu-west-1-stream-failures-depth");
    expect(depth.inputs).toMatchObject({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queue.name },
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
    });
    expect((depth.inputs.alarmActions as string[])[0]).toContain("questline-prod-eu-west-1-alarms");
  });

  it("consumes the replica's own stream in the replica region, disabled until failover", () => {
    const replica = single(resources, MAPPING, "eu-north-1").inputs;
    expect(replica.eventSourceArn).toMatch(/^arn:aws:dynamodb:eu-north-1:.*\/stream\//);
    expect(replica.enabled).toBe(false);
  });

  it("alarms on the stream iterator age", () => {
    const alarm = single(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "eu-west-1-stream-mapping-iterator-age");
    expect(alarm.inputs).toMatchObject({
      namespace: "AWS/Lambda",
      metricName: "IteratorAge",
      dimensions: { FunctionName: "questline-prod-eu-west-1-stream", Resource: "questline-prod-eu-west-1-stream:live" },
    });
  });
});

describe("scheduled handler", () => {
  it("runs every 5 minutes in the active region only, with retries and a DLQ", () => {
    const schedules = ofType(resources, "aws:scheduler/schedule:Schedule").filter((s) =>
      s.name.includes("every-5-minutes"),
    );
    const active = schedules.find((s) => s.name.includes("eu-west-1"))?.inputs;
    expect(active).toMatchObject({ scheduleExpression: "rate(5 minutes)", state: "ENABLED" });
    const target = active?.target as {
      arn: string;
      deadLetterConfig: { arn: string };
      retryPolicy: { maximumRetryAttempts: number };
    };
    expect(target.arn).toContain("questline-prod-eu-west-1-scheduled-live");
    expect(target.deadLetterConfig.arn).toContain("schedule-failures");
    expect(schedules.find((s) => s.name.includes("eu-north-1"))?.inputs.state).toBe("DISABLED");
  });

  it("lets the scheduler role invoke only the scheduled handler", () => {
    const policy = single(resources, "aws:iam/rolePolicy:RolePolicy", "eu-west-1-every-5-minutes-access");
    const statements = (
      JSON.parse(String(policy.inputs.policy)) as { Statement: { Action: string[]; Resource: string[] }[] }
    ).Statement;
    const invoke = statements.find((s) => s.Action.includes("lambda:InvokeFunction"));
    expect(invoke?.Resource).toEqual([expect.stringContaining("questline-prod-eu-west-1-scheduled-live")]);
  });
});

describe("the webhook runner's schedule", () => {
  it("runs every minute in the active region only, invoking only the webhook runner", () => {
    const schedules = ofType(resources, "aws:scheduler/schedule:Schedule").filter((s) =>
      s.name.includes("webhooks-every-minute"),
    );
    expect(schedules).toHaveLength(2);
    const active = schedules.find((s) => s.name.includes("eu-west-1"))?.inputs;
    expect(active).toMatchObject({ scheduleExpression: "rate(1 minute)", state: "ENABLED" });
    expect((active?.target as { arn: string } | undefined)?.arn).toContain("questline-prod-eu-west-1-webhooks-live");
    expect(schedules.find((s) => s.name.includes("eu-north-1"))?.inputs.state).toBe("DISABLED");
    const policy = single(resources, "aws:iam/rolePolicy:RolePolicy", "eu-west-1-webhooks-every-minute-access");
    const statements = (
      JSON.parse(String(policy.inputs.policy)) as { Statement: { Action: string[]; Resource: string[] }[] }
    ).Statement;
    const invoke = statements.find((s) => s.Action.includes("lambda:InvokeFunction"));
    expect(invoke?.Resource).toEqual([expect.stringContaining("questline-prod-eu-west-1-webhooks-live")]);
  });
});

describe("other alarms", () => {
  it("alarms on Lambda errors and throttles for every function, DynamoDB throttles and MemoryDB CPU/memory", () => {
    const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm");
    const functions = ofType(resources, "aws:lambda/function:Function");
    for (const fn of functions) {
      for (const metric of ["Errors", "Throttles"]) {
        expect(
          alarms.some(
            (a) =>
              a.inputs.metricName === metric &&
              (a.inputs.dimensions as Record<string, string>).FunctionName === fn.inputs.name,
          ),
        ).toBe(true);
      }
    }
    const metricsIn = (namespace: string) =>
      new Set(alarms.filter((a) => a.inputs.namespace === namespace).map((a) => a.inputs.metricName));
    expect(metricsIn("AWS/DynamoDB")).toEqual(new Set(["ReadThrottleEvents", "WriteThrottleEvents"]));
    expect(metricsIn("AWS/MemoryDB")).toEqual(new Set(["EngineCPUUtilization", "DatabaseMemoryUsagePercentage"]));
    for (const alarm of alarms) expect((alarm.inputs.alarmActions as string[]).length).toBe(1);
  });
});
