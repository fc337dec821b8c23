import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type NamingScope, resourceName } from "../naming.js";
import { assumeRolePolicy, policyDocument } from "./policy-documents.js";

export interface ScheduledJobsArgs {
  scope: NamingScope;
  /** The scheduled handler's `live` alias ARN. */
  handlerArn: pulumi.Input<string>;
  failureQueueArn: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  /** Only the active region runs the schedule. */
  enabled: boolean;
  scheduleExpression?: string;
  /** The schedule's short name (default `every-5-minutes`). */
  name?: string;
  description?: string;
}

/** EventBridge Scheduler → a handler on a schedule (default every 5 minutes), with retries and a DLQ. */
export class ScheduledJobs extends pulumi.ComponentResource {
  readonly schedule: aws.scheduler.Schedule;

  constructor(name: string, args: ScheduledJobsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:ScheduledJobs", name, {}, opts);
    const scheduleName = resourceName(args.scope, args.name ?? "every-5-minutes");
    const parent = { parent: this };
    const role = new aws.iam.Role(
      `${scheduleName}-role`,
      {
        name: `${scheduleName}-role`,
        assumeRolePolicy: assumeRolePolicy("scheduler.amazonaws.com"),
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${scheduleName}-access`,
      {
        role: role.id,
        policy: policyDocument([
          {
            Sid: "InvokeScheduledHandler",
            Effect: "Allow",
            Action: ["lambda:InvokeFunction"],
            Resource: [args.handlerArn],
          },
          { Sid: "DeadLetter", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [args.failureQueueArn] },
          {
            Sid: "DeadLetterEncrypt",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: [args.kmsKeyArn],
          },
        ]),
      },
      parent,
    );

    this.schedule = new aws.scheduler.Schedule(
      scheduleName,
      {
        name: scheduleName,
        description: args.description ?? "Questline scheduled handler (streak resets, leaderboard windows, expiries)",
        scheduleExpression: args.scheduleExpression ?? "rate(5 minutes)",
        flexibleTimeWindow: { mode: "OFF" },
        state: args.enabled ? "ENABLED" : "DISABLED",
        kmsKeyArn: args.kmsKeyArn,
        target: {
          arn: args.handlerArn,
          roleArn: role.arn,
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 240 },
          deadLetterConfig: { arn: args.failureQueueArn },
        },
      },
      parent,
    );
    this.registerOutputs({ scheduleName: this.schedule.name });
  }
}
