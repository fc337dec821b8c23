import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FunctionSizing } from "../config.js";
import { type NamingScope, resourceName } from "../naming.js";
import { logWrite } from "./access-statements.js";
import { bundleHandler } from "./lambda-bundle.js";
import { assumeRolePolicy, type PolicyStatement, policyDocument } from "./policy-documents.js";

export interface CoreFunctionArgs {
  scope: NamingScope;
  /** Short name: "api", "stream", "scheduled", "pre-token". */
  purpose: string;
  /** aws-core entry file relative to the repo root. */
  entry: string;
  repoRoot: string;
  skipBundling: boolean;
  sizing: FunctionSizing;
  environment: Record<string, pulumi.Input<string>>;
  /** Everything the handler may do beyond writing its own logs and traces. */
  permissions: PolicyStatement[];
  logRetentionDays: number;
  kmsKeyArn: pulumi.Input<string>;
  alarmTopicArn: pulumi.Input<string>;
  vpc?: { subnetIds: pulumi.Input<string>[]; securityGroupIds: pulumi.Input<string>[] };
}

/**
 * AWS-managed policies a function may carry. They cover actions that have no resource-level
 * permissions (X-Ray segments, ENI management for VPC functions); everything else is in the
 * function's own resource-scoped inline policy.
 */
export const ALLOWED_MANAGED_POLICIES = {
  xray: "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
  vpcAccess: "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
} as const;

/**
 * One aws-core handler as a Lambda: esbuild bundle, Node 24 on arm64, X-Ray active, its own
 * KMS-encrypted log group with retention, a role with exactly the permissions passed in,
 * reserved/provisioned concurrency from config, and error/throttle alarms.
 */
export class CoreFunction extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly role: aws.iam.Role;
  /** What callers (API Gateway, Cognito, Scheduler) invoke: the `live` alias. */
  readonly invokeTarget: {
    arn: pulumi.Output<string>;
    invokeArn: pulumi.Output<string>;
    name: pulumi.Output<string>;
    qualifier: pulumi.Output<string>;
  };

  constructor(name: string, args: CoreFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:CoreFunction", name, {}, opts);
    const fnName = resourceName(args.scope, args.purpose);
    const parent = { parent: this };

    const logGroup = new aws.cloudwatch.LogGroup(
      `${fnName}-logs`,
      {
        name: `/aws/lambda/${fnName}`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.kmsKeyArn,
      },
      parent,
    );

    this.role = new aws.iam.Role(
      `${fnName}-role`,
      {
        name: `${fnName}-role`,
        assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com"),
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${fnName}-access`,
      {
        role: this.role.id,
        policy: policyDocument([...logWrite(logGroup.arn), ...args.permissions]),
      },
      parent,
    );
    const managed = [ALLOWED_MANAGED_POLICIES.xray, ...(args.vpc ? [ALLOWED_MANAGED_POLICIES.vpcAccess] : [])];
    const attachments = managed.map(
      (policyArn) =>
        new aws.iam.RolePolicyAttachment(
          `${fnName}-${policyArn.split("/").pop()}`,
          { role: this.role.name, policyArn },
          parent,
        ),
    );

    const provisioned = args.sizing.provisionedConcurrency ?? 0;
    this.function = new aws.lambda.Function(
      fnName,
      {
        name: fnName,
        runtime: aws.lambda.Runtime.NodeJS24dX,
        architectures: ["arm64"],
        handler: "index.handler",
        code: bundleHandler(fnName, { repoRoot: args.repoRoot, entry: args.entry, skipBundling: args.skipBundling }),
        role: this.role.arn,
        memorySize: args.sizing.memoryMb,
        timeout: args.sizing.timeoutSeconds,
        reservedConcurrentExecutions: args.sizing.reservedConcurrency ?? -1,
        publish: true,
        tracingConfig: { mode: "Active" },
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
        kmsKeyArn: args.kmsKeyArn,
        environment: {
          variables: { NODE_OPTIONS: "--enable-source-maps", ...args.environment },
        },
        ...(args.vpc ? { vpcConfig: args.vpc } : {}),
      },
      { parent: this, dependsOn: [logGroup, ...attachments] },
    );

    const alias = new aws.lambda.Alias(
      `${fnName}-live`,
      {
        name: "live",
        functionName: this.function.name,
        functionVersion: this.function.version,
      },
      parent,
    );
    if (provisioned > 0) {
      new aws.lambda.ProvisionedConcurrencyConfig(
        `${fnName}-provisioned`,
        {
          functionName: this.function.name,
          qualifier: alias.name,
          provisionedConcurrentExecutions: provisioned,
        },
        parent,
      );
    }
    this.invokeTarget = { arn: alias.arn, invokeArn: alias.invokeArn, name: this.function.name, qualifier: alias.name };

    for (const metricName of ["Errors", "Throttles"] as const) {
      new aws.cloudwatch.MetricAlarm(
        `${fnName}-${metricName.toLowerCase()}`,
        {
          name: `${fnName}-${metricName.toLowerCase()}`,
          alarmDescription: `${fnName}: Lambda ${metricName}`,
          namespace: "AWS/Lambda",
          metricName,
          dimensions: { FunctionName: this.function.name },
          statistic: "Sum",
          period: 60,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          threshold: metricName === "Errors" ? 5 : 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          treatMissingData: "notBreaching",
          alarmActions: [args.alarmTopicArn],
          okActions: [args.alarmTopicArn],
        },
        parent,
      );
    }
    this.registerOutputs({ functionName: this.function.name, aliasArn: alias.arn });
  }
}
