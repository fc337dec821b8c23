import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { documentDb, tableName } from "../db/client";
import { queryPages } from "../db/query";
import { MAIN_TABLE_KEYS } from "../db/table-definition";
import { tenancyKeys } from "./keys";

export interface AccountRecord {
  accountId: string;
  name: string;
  createdAt: string;
}

export interface WorkspaceRecord {
  workspaceId: string;
  accountId: string;
  name: string;
  defaultLang: string;
  /** Cognito app client ids whose tokens may act in this workspace. */
  allowedClientIds: string[];
  createdAt: string;
}

export interface EnsureWorkspaceInput {
  workspaceId: string;
  accountId: string;
  name: string;
  accountName?: string;
  defaultLang?: string;
  allowedClientIds?: string[];
}

/** Creates the account and the workspace when missing; returns the stored workspace (never overwrites). */
export async function ensureWorkspace(input: EnsureWorkspaceInput): Promise<WorkspaceRecord> {
  const now = new Date().toISOString();
  const account: AccountRecord = { accountId: input.accountId, name: input.accountName ?? input.name, createdAt: now };
  await putIfAbsent({ ...tenancyKeys.account(input.accountId), type: "ACCOUNT", ...account });
  const workspace: WorkspaceRecord = {
    workspaceId: input.workspaceId,
    accountId: input.accountId,
    name: input.name,
    defaultLang: input.defaultLang ?? "en",
    allowedClientIds: input.allowedClientIds ?? [],
    createdAt: now,
  };
  const created = await putIfAbsent({
    ...tenancyKeys.workspace(input.workspaceId),
    ...tenancyKeys.workspaceDirectory(input.workspaceId),
    type: "WORKSPACE",
    ...workspace,
  });
  if (created) return workspace;
  const existing = await getWorkspace(input.workspaceId);
  if (!existing) throw new Error(`workspace ${input.workspaceId} vanished while being ensured`);
  return existing;
}

/** Every workspace id, page by page (gsi2 directory); for scheduled platform sweeps only. */
export async function* listWorkspaceIds(): AsyncGenerator<string> {
  const directory = tenancyKeys.workspaceDirectory("");
  for await (const items of queryPages({
    IndexName: MAIN_TABLE_KEYS.gsi2.name,
    KeyConditionExpression: "gsi2pk = :pk",
    ExpressionAttributeValues: { ":pk": directory.gsi2pk },
    ProjectionExpression: "workspaceId",
  })) {
    for (const item of items) if (typeof item.workspaceId === "string") yield item.workspaceId;
  }
}

export async function getWorkspace(workspaceId: string): Promise<WorkspaceRecord | null> {
  const { Item } = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: tenancyKeys.workspace(workspaceId), ConsistentRead: true }),
  );
  return Item ? toWorkspace(Item) : null;
}

export async function getAccount(accountId: string): Promise<AccountRecord | null> {
  const { Item } = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: tenancyKeys.account(accountId), ConsistentRead: true }),
  );
  return Item ? { accountId: Item.accountId, name: Item.name, createdAt: Item.createdAt } : null;
}

function toWorkspace(item: Record<string, unknown>): WorkspaceRecord {
  return {
    workspaceId: item.workspaceId as string,
    accountId: item.accountId as string,
    name: item.name as string,
    defaultLang: item.defaultLang as string,
    allowedClientIds: (item.allowedClientIds as string[] | undefined) ?? [],
    createdAt: item.createdAt as string,
  };
}

/** Conditional put; false when the item already existed. */
async function putIfAbsent(item: Record<string, unknown>): Promise<boolean> {
  try {
    await documentDb().send(
      new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: "attribute_not_exists(pk)" }),
    );
    return true;
  } catch (err) {
    if (err instanceof Error && err.name === "ConditionalCheckFailedException") return false;
    throw err;
  }
}
