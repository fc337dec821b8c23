import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type NamingScope, resourceName } from "../naming.js";

export interface DeadLetterQueueArgs {
  scope: NamingScope;
  /** What fails into this queue, e.g. "stream-failures". */
  purpose: string;
  kmsKeyArn: pulumi.Input<string>;
  alarmTopicArn: pulumi.Input<string>;
}

/** An encrypted SQS queue for failed events, alarmed as soon as anything lands in it. */
export class DeadLetterQueue extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;
  readonly depthAlarm: aws.cloudwatch.MetricAlarm;

  constructor(name: string, args: DeadLetterQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:DeadLetterQueue", name, {}, opts);
    const queueName = resourceName(args.scope, args.purpose);
    this.queue = new aws.sqs.Queue(
      queueName,
      {
        name: queueName,
        messageRetentionSeconds: 14 * 24 * 3600,
        kmsMasterKeyId: args.kmsKeyArn,
        kmsDataKeyReusePeriodSeconds: 300,
      },
      { parent: this },
    );
    this.depthAlarm = new aws.cloudwatch.MetricAlarm(
      `${queueName}-depth`,
      {
        name: `${queueName}-depth`,
        alarmDescription: `${queueName} holds failed events: inspect and redrive`,
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: this.queue.name },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [args.alarmTopicArn],
        okActions: [args.alarmTopicArn],
      },
      { parent: this },
    );
    this.registerOutputs({ queueArn: this.queue.arn });
  }
}
