import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { documentDb, tableName } from "../db/client";
import { parseItems } from "../db/items";
import { PK, SK, sortKey, sortKeyPrefix } from "../db/keys";
import type { TransactionBuilder } from "../pipeline/transaction";

/**
 * A user's badge: `BADGE#<badgeConfigurationId>` in the user's partition (count, first and
 * last assignment), plus one immutable `BLOG#<badgeConfigurationId>#<assignedAt>#<id>` per award.
 */
export interface BadgeAward {
  badgeLogId: string;
  badgeConfigurationId: string;
  userId: string;
  sourceEntityType: string;
  sourceEntityId: string;
  rewardRuleId: string;
  assignedAt: string;
}

/** A stored award log item (what `addBadgeAwards` writes, without its keys): also the API's `badgeLogs` entry. */
export const badgeLogItemSchema = z.object({
  badgeLogId: z.string(),
  badgeConfigurationId: z.string(),
  userId: z.string(),
  sourceEntityType: z.string(),
  sourceEntityId: z.string(),
  rewardRuleId: z.string(),
  assignedAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A user's badge counter (what `addBadgeAwards` updates, without its keys). */
export const badgeItemSchema = z.object({
  badgeConfigurationId: z.string(),
  userId: z.string(),
  count: z.number().int(),
  firstAssignedAt: z.string(),
  lastAssignedAt: z.string(),
  defaultLang: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export function badgeKey(workspaceId: string, userId: string, badgeConfigurationId: string) {
  return { pk: PK.user(workspaceId, userId), sk: sortKey(SK.badge, badgeConfigurationId) };
}

/** Adds the awards to the transaction: one log item each, one counter update per badge. */
export function addBadgeAwards(
  tx: TransactionBuilder,
  workspaceId: string,
  awards: BadgeAward[],
  defaultLangOf: (id: string) => string,
): void {
  const counts = new Map<string, { count: number; at: string }>();
  for (const award of awards) {
    tx.put(
      {
        TableName: tableName(),
        Item: {
          pk: PK.user(workspaceId, award.userId),
          sk: sortKey(SK.badgeLog, award.badgeConfigurationId, award.assignedAt, award.badgeLogId),
          itemType: "BadgeLog",
          ...award,
          createdAt: award.assignedAt,
          updatedAt: award.assignedAt,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
      { kind: "badge", ref: award.badgeLogId },
    );
    const current = counts.get(award.badgeConfigurationId);
    counts.set(award.badgeConfigurationId, { count: (current?.count ?? 0) + 1, at: award.assignedAt });
  }
  const userId = awards[0]?.userId;
  if (!userId) return;
  for (const [badgeConfigurationId, { count, at }] of counts) {
    tx.update(
      {
        TableName: tableName(),
        Key: badgeKey(workspaceId, userId, badgeConfigurationId),
        UpdateExpression:
          "SET #count = if_not_exists(#count, :zero) + :n, firstAssignedAt = if_not_exists(firstAssignedAt, :at), lastAssignedAt = :at, createdAt = if_not_exists(createdAt, :at), updatedAt = :at, badgeConfigurationId = :badge, userId = :user, defaultLang = :lang, itemType = :type",
        ExpressionAttributeNames: { "#count": "count" },
        ExpressionAttributeValues: {
          ":zero": 0,
          ":n": count,
          ":at": at,
          ":badge": badgeConfigurationId,
          ":user": userId,
          ":lang": defaultLangOf(badgeConfigurationId),
          ":type": "Badge",
        },
      },
      { kind: "badge", ref: badgeConfigurationId },
    );
  }
}

export async function listBadges(workspaceId: string, userId: string) {
  const out = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": PK.user(workspaceId, userId), ":prefix": sortKeyPrefix(SK.badge) },
      ConsistentRead: true,
    }),
  );
  return parseItems(badgeItemSchema, out.Items, "badge");
}

export async function listBadgeLogs(workspaceId: string, userId: string, badgeConfigurationId?: string) {
  const out = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: {
        ":pk": PK.user(workspaceId, userId),
        ":prefix": badgeConfigurationId ? sortKeyPrefix(SK.badgeLog, badgeConfigurationId) : sortKeyPrefix(SK.badgeLog),
      },
      ConsistentRead: true,
    }),
  );
  return parseItems(badgeLogItemSchema, out.Items, "badge log");
}
