import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * SDK clients are created once per container (module scope, lazily so tests can set the
 * environment first) and reused by every invocation.
 */
let rawClient: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;

export function dynamoClient(): DynamoDBClient {
  rawClient ??= new DynamoDBClient({
    region: process.env.AWS_REGION ?? "eu-west-1",
    ...(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}),
    maxAttempts: 3,
  });
  return rawClient;
}

export function documentDb(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return documentClient;
}

export function tableName(): string {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error("TABLE_NAME is not set");
  return name;
}

export function idempotencyTableName(): string {
  const name = process.env.IDEMPOTENCY_TABLE_NAME;
  if (!name) throw new Error("IDEMPOTENCY_TABLE_NAME is not set");
  return name;
}
