import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { QuestlineError } from "@questline/contracts";
import { documentDb, tableName } from "./client";
import { isConditionFailure } from "./conditions";
import type { TableKey } from "./keys";

/**
 * Puts a plain versioned item (one with a `version` attribute): a create when `expectedVersion`
 * is undefined (the key must be new), else a replace only at `expectedVersion`. A failed
 * condition is a 409 `resource.conflict` naming `what` ("Policy p1").
 */
export async function putVersionedItem(
  key: TableKey,
  item: Record<string, unknown>,
  what: string,
  expectedVersion?: number,
): Promise<void> {
  try {
    await documentDb().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...key, ...item },
        ...(expectedVersion === undefined
          ? { ConditionExpression: "attribute_not_exists(pk)" }
          : {
              ConditionExpression: "#version = :expected",
              ExpressionAttributeNames: { "#version": "version" },
              ExpressionAttributeValues: { ":expected": expectedVersion },
            }),
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) {
      throw new QuestlineError(
        "resource.conflict",
        expectedVersion === undefined
          ? `${what} already exists`
          : `${what} changed meanwhile (version ${expectedVersion} expected)`,
      );
    }
    throw err;
  }
}
