import { GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { newId, type Role, type TokenContext } from "@questline/contracts";
import { documentDb, tableName } from "../db/client";
import { MAIN_TABLE_KEYS } from "../db/table-definition";
import { tenancyKeys } from "./keys";

export interface UserRecord {
  workspaceId: string;
  userId: string;
  externalId?: string;
  /** Dashboard users have a role; app end users have none. */
  role?: Role;
  context: TokenContext;
  lang: string;
  /** IANA zone, e.g. `Europe/Rome`. */
  timezone: string;
  tags: string[];
  displayName?: string;
  createdAt: string;
}

export interface EnsureUserInput {
  workspaceId: string;
  userId?: string;
  externalId?: string;
  role?: Role;
  context: TokenContext;
  lang?: string;
  timezone?: string;
  tags?: string[];
  displayName?: string;
}

/**
 * Returns the user with this id (or external id) in the workspace, creating it when missing.
 * An external id is unique per workspace (guard item written in the same transaction), so
 * concurrent calls for the same external id end with one user.
 */
export async function ensureUser(input: EnsureUserInput): Promise<UserRecord> {
  const existing = await findExisting(input);
  if (existing) return existing;
  const user: UserRecord = {
    workspaceId: input.workspaceId,
    userId: input.userId ?? newId(),
    context: input.context,
    lang: input.lang ?? "en",
    timezone: input.timezone ?? "UTC",
    tags: input.tags ?? [],
    createdAt: new Date().toISOString(),
  };
  if (input.externalId) user.externalId = input.externalId;
  if (input.role) user.role = input.role;
  if (input.displayName) user.displayName = input.displayName;

  const item = {
    ...tenancyKeys.user(user.workspaceId, user.userId),
    type: "USER",
    ...user,
    ...(user.externalId ? tenancyKeys.userByExternalId(user.workspaceId, user.externalId) : {}),
  };
  const table = tableName();
  const transactItems: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]> = [
    { Put: { TableName: table, Item: item, ConditionExpression: "attribute_not_exists(pk)" } },
  ];
  if (user.externalId) {
    transactItems.push({
      Put: {
        TableName: table,
        Item: {
          ...tenancyKeys.externalIdGuard(user.workspaceId, user.externalId),
          type: "EXTUSER",
          userId: user.userId,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    });
  }
  try {
    await documentDb().send(new TransactWriteCommand({ TransactItems: transactItems }));
    return user;
  } catch (err) {
    if (!(err instanceof Error && err.name === "TransactionCanceledException")) throw err;
    const winner = await findExisting(input);
    if (winner) return winner;
    throw err;
  }
}

async function findExisting(input: EnsureUserInput): Promise<UserRecord | null> {
  if (input.userId) {
    const byId = await getUser(input.workspaceId, input.userId);
    if (byId) return byId;
  }
  if (input.externalId) {
    const guard = await documentDb().send(
      new GetCommand({
        TableName: tableName(),
        Key: tenancyKeys.externalIdGuard(input.workspaceId, input.externalId),
        ConsistentRead: true,
      }),
    );
    const userId = guard.Item?.userId as string | undefined;
    if (userId) return getUser(input.workspaceId, userId);
  }
  return null;
}

export async function getUser(workspaceId: string, userId: string): Promise<UserRecord | null> {
  const { Item } = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: tenancyKeys.user(workspaceId, userId), ConsistentRead: true }),
  );
  return Item ? toUser(Item) : null;
}

/** Looks a user up by the customer's own id (gsi1; eventually consistent like any GSI). */
export async function getUserByExternalId(workspaceId: string, externalId: string): Promise<UserRecord | null> {
  const keys = tenancyKeys.userByExternalId(workspaceId, externalId);
  const { Items } = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: MAIN_TABLE_KEYS.gsi1.name,
      KeyConditionExpression: "gsi1pk = :pk AND gsi1sk = :sk",
      ExpressionAttributeValues: { ":pk": keys.gsi1pk, ":sk": keys.gsi1sk },
      Limit: 1,
    }),
  );
  const item = Items?.[0];
  return item ? toUser(item) : null;
}

function toUser(item: Record<string, unknown>): UserRecord {
  const user: UserRecord = {
    workspaceId: item.workspaceId as string,
    userId: item.userId as string,
    context: item.context as TokenContext,
    lang: item.lang as string,
    timezone: item.timezone as string,
    tags: (item.tags as string[] | undefined) ?? [],
    createdAt: item.createdAt as string,
  };
  if (typeof item.externalId === "string") user.externalId = item.externalId;
  if (typeof item.role === "string") user.role = item.role as Role;
  if (typeof item.displayName === "string") user.displayName = item.displayName;
  return user;
}
