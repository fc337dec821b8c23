import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";

/**
 * The single-table design (documented in aws-core/README.md). infra-pulumi declares the
 * same keys, GSIs, TTL attribute and stream settings for production.
 */
export const MAIN_TABLE_KEYS = {
  partitionKey: "pk",
  sortKey: "sk",
  gsi1: { name: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
  gsi2: { name: "gsi2", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
  ttlAttribute: "ttl",
} as const;

export function mainTableDefinition(tableName: string): CreateTableCommandInput {
  const k = MAIN_TABLE_KEYS;
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: k.partitionKey, AttributeType: "S" },
      { AttributeName: k.sortKey, AttributeType: "S" },
      { AttributeName: k.gsi1.partitionKey, AttributeType: "S" },
      { AttributeName: k.gsi1.sortKey, AttributeType: "S" },
      { AttributeName: k.gsi2.partitionKey, AttributeType: "S" },
      { AttributeName: k.gsi2.sortKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: k.partitionKey, KeyType: "HASH" },
      { AttributeName: k.sortKey, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [k.gsi1, k.gsi2].map((gsi) => ({
      IndexName: gsi.name,
      KeySchema: [
        { AttributeName: gsi.partitionKey, KeyType: "HASH" as const },
        { AttributeName: gsi.sortKey, KeyType: "RANGE" as const },
      ],
      Projection: { ProjectionType: "ALL" as const },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  };
}

/** Powertools idempotency persistence table (its default attribute names). */
export function idempotencyTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
  };
}

async function tableExists(client: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return false;
    throw err;
  }
}

/** Creates the main and idempotency tables when missing (local stack and tests only). */
export async function ensureTables(
  client: DynamoDBClient,
  names: { table: string; idempotencyTable: string },
): Promise<void> {
  if (!(await tableExists(client, names.table))) {
    await client.send(new CreateTableCommand(mainTableDefinition(names.table)));
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: names.table,
        TimeToLiveSpecification: { Enabled: true, AttributeName: MAIN_TABLE_KEYS.ttlAttribute },
      }),
    );
  }
  if (!(await tableExists(client, names.idempotencyTable))) {
    await client.send(new CreateTableCommand(idempotencyTableDefinition(names.idempotencyTable)));
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: names.idempotencyTable,
        TimeToLiveSpecification: { Enabled: true, AttributeName: "expiration" },
      }),
    );
  }
}
