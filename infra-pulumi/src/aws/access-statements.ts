import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "./policy-documents.js";

/** ARNs of one region's copy of a table (the global table has one per region). */
export interface RegionalTable {
  name: pulumi.Input<string>;
  arn: pulumi.Input<string>;
  streamArn?: pulumi.Input<string>;
  indexNames: string[];
}

const ITEM_READ = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"];
const ITEM_WRITE = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"];

function indexArns(table: RegionalTable): pulumi.Output<string>[] {
  return table.indexNames.map((index) => pulumi.interpolate`${table.arn}/index/${index}`);
}

export function tableReadWrite(table: RegionalTable, sid: string): PolicyStatement[] {
  return [
    { Sid: `${sid}Items`, Effect: "Allow", Action: [...ITEM_READ, ...ITEM_WRITE], Resource: [table.arn] },
    ...(table.indexNames.length > 0
      ? [{ Sid: `${sid}Indexes`, Effect: "Allow" as const, Action: ["dynamodb:Query"], Resource: indexArns(table) }]
      : []),
  ];
}

export function tableRead(table: RegionalTable, sid: string): PolicyStatement[] {
  return [
    { Sid: `${sid}Items`, Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:Query"], Resource: [table.arn] },
    ...(table.indexNames.length > 0
      ? [{ Sid: `${sid}Indexes`, Effect: "Allow" as const, Action: ["dynamodb:Query"], Resource: indexArns(table) }]
      : []),
  ];
}

/** What the Lambda event source mapping needs to poll a stream (runs as the function's role). */
export function streamRead(table: RegionalTable): PolicyStatement[] {
  if (!table.streamArn) throw new Error("streamRead needs the table's stream ARN");
  return [
    {
      Sid: "ReadTableStream",
      Effect: "Allow",
      Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
      Resource: [table.streamArn],
    },
  ];
}

/** Reading one secret encrypted with a customer-managed key (decrypt only through Secrets Manager). */
export function secretRead(
  secretArn: pulumi.Input<string>,
  keyArn: pulumi.Input<string>,
  region: string,
  sid: string,
): PolicyStatement[] {
  return [
    { Sid: `${sid}Value`, Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [secretArn] },
    {
      Sid: `${sid}Decrypt`,
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [keyArn],
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
    },
  ];
}

/** Sending to an SQS queue encrypted with a customer-managed key. */
export function queueSend(
  queueArn: pulumi.Input<string>,
  keyArn: pulumi.Input<string>,
  region: string,
  sid: string,
): PolicyStatement[] {
  return [
    { Sid: `${sid}Send`, Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [queueArn] },
    {
      Sid: `${sid}Encrypt`,
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: [keyArn],
      Condition: { StringEquals: { "kms:ViaService": `sqs.${region}.amazonaws.com` } },
    },
  ];
}

export function logWrite(logGroupArn: pulumi.Input<string>): PolicyStatement[] {
  return [
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [pulumi.interpolate`${logGroupArn}:*`],
    },
  ];
}

/**
 * What the stream handler needs for webhooks (aws-core/src/webhooks): reading a workspace's
 * endpoints, and writing deliveries only in the webhook partitions
 * (`WS#<ws>#WEBHOOK#<endpointId>`) — `dynamodb:LeadingKeys` keeps every other item read-only.
 */
export function webhookDeliveryAccess(table: RegionalTable): PolicyStatement[] {
  return [
    {
      Sid: "WebhookEndpointsRead",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:Query"],
      Resource: [table.arn],
      Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["WS#*"] } },
    },
    {
      Sid: "WebhookDeliveriesWrite",
      Effect: "Allow",
      Action: ["dynamodb:PutItem", "dynamodb:UpdateItem"],
      Resource: [table.arn],
      Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["WS#*#WEBHOOK#*"] } },
    },
  ];
}
