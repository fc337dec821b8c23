import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { QuestlineError } from "@questline/contracts";
import { documentDb, tableName } from "../db/client";
import { ensureUser, getUserByExternalId, tenancyKeys } from "../tenancy";

/**
 * Users of the gamification API, on top of the tenancy records (`pk = WS#<ws>`,
 * `sk = USER#<userId>`, external ids unique through a guard item). The dashboard's profile
 * fields (email, nickname, names, image) are stored on the same item.
 */
export interface UserProfile {
  userId: string;
  workspaceId: string;
  externalId?: string;
  email?: string;
  nickname?: string;
  firstName?: string;
  lastName?: string;
  profileImage?: string;
  lang: string;
  timezone: string;
  tags: string[];
  createdAt: string;
  updatedAt?: string;
}

const PROFILE_FIELDS = ["email", "nickname", "firstName", "lastName", "profileImage"] as const;
type ProfileField = (typeof PROFILE_FIELDS)[number];

export interface NewUserInput extends Partial<Record<ProfileField, string>> {
  externalId?: string;
  lang?: string;
  timezone?: string;
  tags?: string[];
}

function toProfile(item: Record<string, unknown>): UserProfile {
  const profile: UserProfile = {
    userId: item.userId as string,
    workspaceId: item.workspaceId as string,
    lang: (item.lang as string | undefined) ?? "en",
    timezone: (item.timezone as string | undefined) ?? "UTC",
    tags: (item.tags as string[] | undefined) ?? [],
    createdAt: item.createdAt as string,
  };
  for (const field of ["externalId", "updatedAt", ...PROFILE_FIELDS] as const) {
    if (typeof item[field] === "string") profile[field] = item[field] as string;
  }
  return profile;
}

export async function getUserProfile(workspaceId: string, userId: string): Promise<UserProfile | null> {
  const out = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: tenancyKeys.user(workspaceId, userId), ConsistentRead: true }),
  );
  return out.Item ? toProfile(out.Item) : null;
}

export async function requireUserProfile(workspaceId: string, userId: string): Promise<UserProfile> {
  const user = await getUserProfile(workspaceId, userId);
  if (!user) throw new QuestlineError("resource.not_found", `user ${userId} not found`);
  return user;
}

/** Dashboard `POST /users`: a new user; an external id already in use is 409. */
export async function createUser(workspaceId: string, input: NewUserInput, now = new Date()): Promise<UserProfile> {
  if (input.externalId && (await getUserByExternalId(workspaceId, input.externalId))) {
    throw new QuestlineError("resource.conflict", `A user with externalId ${input.externalId} already exists`);
  }
  const created = await ensureUser({
    workspaceId,
    context: "app",
    ...(input.externalId ? { externalId: input.externalId } : {}),
    ...(input.lang ? { lang: input.lang } : {}),
    ...(input.timezone ? { timezone: input.timezone } : {}),
    ...(input.tags ? { tags: input.tags } : {}),
  });
  const extra = PROFILE_FIELDS.filter((f) => input[f] !== undefined);
  const names = Object.fromEntries(extra.map((f) => [`#${f}`, f]));
  const values = Object.fromEntries(extra.map((f) => [`:${f}`, input[f]]));
  const out = await documentDb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: tenancyKeys.user(workspaceId, created.userId),
      UpdateExpression: `SET ${[...extra.map((f) => `#${f} = :${f}`), "updatedAt = :now"].join(", ")}`,
      ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
      ExpressionAttributeValues: { ...values, ":now": now.toISOString() },
      ReturnValues: "ALL_NEW",
    }),
  );
  return toProfile(out.Attributes ?? {});
}

export async function setUserTags(
  workspaceId: string,
  userId: string,
  tags: string[],
  now = new Date(),
): Promise<UserProfile> {
  try {
    const out = await documentDb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: tenancyKeys.user(workspaceId, userId),
        UpdateExpression: "SET tags = :tags, updatedAt = :now",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":tags": tags, ":now": now.toISOString() },
        ReturnValues: "ALL_NEW",
      }),
    );
    return toProfile(out.Attributes ?? {});
  } catch (err) {
    if (err instanceof Error && err.name === "ConditionalCheckFailedException") {
      throw new QuestlineError("resource.not_found", `user ${userId} not found`);
    }
    throw err;
  }
}
