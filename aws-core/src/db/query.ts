import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { documentDb, tableName } from "./client";

/** A Query of the main table: everything but the table and the start key. */
export type QueryInput = Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">;

type Item = Record<string, unknown>;

/** The key condition of a partition's items whose sort key starts with `prefix`. */
export function partitionPrefix(
  pk: string,
  prefix: string,
): Pick<QueryInput, "KeyConditionExpression" | "ExpressionAttributeValues"> {
  return {
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": pk, ":prefix": prefix },
  };
}

/** One page: the items and the key to continue from (undefined on the last page). */
export async function queryPage(
  input: QueryInput & { startKey?: Item | undefined },
): Promise<{ items: Item[]; lastKey: Item | undefined; count: number }> {
  const { startKey, ...query } = input;
  const out = await documentDb().send(
    new QueryCommand({ ...query, TableName: tableName(), ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
  );
  return { items: out.Items ?? [], lastKey: out.LastEvaluatedKey, count: out.Count ?? 0 };
}

/** Every page of a query, in order (for work that handles a page at a time). */
export async function* queryPages(input: QueryInput): AsyncGenerator<Item[]> {
  let startKey: Item | undefined;
  do {
    const page = await queryPage({ ...input, startKey });
    yield page.items;
    startKey = page.lastKey;
  } while (startKey);
}

/** Every item a query matches, paging until DynamoDB has no more. */
export async function queryAll(input: QueryInput): Promise<Item[]> {
  const all: Item[] = [];
  for await (const items of queryPages(input)) all.push(...items);
  return all;
}

/** How many items a query matches (`Select: COUNT`, paged). */
export async function countAll(input: Omit<QueryInput, "Select">): Promise<number> {
  let count = 0;
  let startKey: Item | undefined;
  do {
    const page = await queryPage({ ...input, Select: "COUNT", startKey });
    count += page.count;
    startKey = page.lastKey;
  } while (startKey);
  return count;
}
