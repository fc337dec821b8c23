import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { TokenContext } from "@questline/contracts";
import { documentDb, tableName } from "../db/client";
import { INDEX_PK, PK, SK, sortKey } from "../db/keys";
import { MAIN_TABLE_KEYS } from "../db/table-definition";

/**
 * A Cognito app client registered to one workspace (each workspace gets its own app clients,
 * so a machine-to-machine token can only ever act inside that workspace).
 * Item: pk `WS#<workspaceId>`, sk `APPCLIENT#<clientId>`; gsi1 `APPCLIENT#<clientId>` / `APPCLIENT`
 * finds the workspace from the client id at token time.
 */
export interface AppClientRecord {
  workspaceId: string;
  accountId?: string;
  clientId: string;
  /** The token context the client issues: `app` for end-user apps and M2M, `dashboard` for admin UIs. */
  context: TokenContext;
  /** Scopes a client-credentials token of this client may carry (e.g. `app/read app/write`). */
  scopes: string[];
  createdAt: string;
}

const keys = {
  item: (workspaceId: string, clientId: string) => ({
    pk: PK.workspace(workspaceId),
    sk: sortKey(SK.appClient, clientId),
  }),
  lookup: (clientId: string) => ({ gsi1pk: INDEX_PK.appClient(clientId), gsi1sk: "APPCLIENT" }),
};

export async function registerAppClient(record: Omit<AppClientRecord, "createdAt">): Promise<AppClientRecord> {
  const item: AppClientRecord = { ...record, createdAt: new Date().toISOString() };
  await documentDb().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.item(record.workspaceId, record.clientId),
        ...keys.lookup(record.clientId),
        type: "APPCLIENT",
        ...item,
      },
    }),
  );
  return item;
}

export async function getAppClient(workspaceId: string, clientId: string): Promise<AppClientRecord | null> {
  const { Item } = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: keys.item(workspaceId, clientId), ConsistentRead: true }),
  );
  return Item ? toRecord(Item) : null;
}

/** Which workspace an app client belongs to (null for an unregistered client). */
export async function findAppClient(clientId: string): Promise<AppClientRecord | null> {
  const lookup = keys.lookup(clientId);
  const { Items } = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: MAIN_TABLE_KEYS.gsi1.name,
      KeyConditionExpression: "gsi1pk = :pk AND gsi1sk = :sk",
      ExpressionAttributeValues: { ":pk": lookup.gsi1pk, ":sk": lookup.gsi1sk },
      Limit: 2,
    }),
  );
  // A client id registered to two workspaces is a configuration error: refuse rather than guess.
  if (Items?.length !== 1 || !Items[0]) return null;
  return toRecord(Items[0]);
}

function toRecord(item: Record<string, unknown>): AppClientRecord {
  return {
    workspaceId: String(item.workspaceId),
    ...(item.accountId ? { accountId: String(item.accountId) } : {}),
    clientId: String(item.clientId),
    context: item.context === "dashboard" ? "dashboard" : "app",
    scopes: Array.isArray(item.scopes) ? item.scopes.map(String) : [],
    createdAt: String(item.createdAt),
  };
}
