import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config.js";
import { type NamingScope, resourceName } from "../naming.js";

export interface StreamIndexingArgs {
  scope: NamingScope;
  streamArn: pulumi.Input<string>;
  /** The stream handler's `live` alias. */
  handler: { name: pulumi.Input<string>; qualifier: pulumi.Input<string> };
  failureQueueArn: pulumi.Input<string>;
  settings: PlatformConfig["stream"];
  /** Only the active region indexes (both regions see every write of the global table). */
  enabled: boolean;
  alarmTopicArn: pulumi.Input<string>;
}

/**
 * DynamoDB stream → stream handler: bounded retries with batch bisection, partial batch
 * failures, a maximum record age, and an SQS on-failure destination for what still fails.
 * Iterator age is alarmed so a stuck consumer is noticed before records expire (24 h).
 */
export class StreamIndexing extends pulumi.ComponentResource {
  readonly mapping: aws.lambda.EventSourceMapping;

  constructor(name: string, args: StreamIndexingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:StreamIndexing", name, {}, opts);
    const mappingName = resourceName(args.scope, "stream-mapping");
    this.mapping = new aws.lambda.EventSourceMapping(
      mappingName,
      {
        eventSourceArn: args.streamArn,
        functionName: pulumi.interpolate`${args.handler.name}:${args.handler.qualifier}`,
        startingPosition: "TRIM_HORIZON",
        enabled: args.enabled,
        batchSize: args.settings.batchSize,
        maximumBatchingWindowInSeconds: 1,
        parallelizationFactor: args.settings.parallelizationFactor,
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: args.settings.maximumRetryAttempts,
        maximumRecordAgeInSeconds: args.settings.maximumRecordAgeSeconds,
        functionResponseTypes: ["ReportBatchItemFailures"],
        destinationConfig: { onFailure: { destinationArn: args.failureQueueArn } },
      },
      { parent: this },
    );

    new aws.cloudwatch.MetricAlarm(
      `${mappingName}-iterator-age`,
      {
        name: `${resourceName(args.scope, "stream")}-iterator-age`,
        alarmDescription: "Stream handler is falling behind the DynamoDB stream",
        namespace: "AWS/Lambda",
        metricName: "IteratorAge",
        dimensions: {
          FunctionName: pulumi.output(args.handler.name),
          Resource: pulumi.interpolate`${args.handler.name}:${args.handler.qualifier}`,
        },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 5,
        threshold: 5 * 60 * 1000,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [args.alarmTopicArn],
        okActions: [args.alarmTopicArn],
      },
      { parent: this },
    );
    this.registerOutputs({ mappingId: this.mapping.id });
  }
}
