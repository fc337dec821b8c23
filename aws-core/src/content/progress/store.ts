import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "@hono/zod-openapi";
import { learningProgressSchema } from "@questline/contracts";
import { documentDb, tableName } from "../../db/client";
import { parseItem } from "../../db/items";
import { PK, SK, sortKey, sortKeyPrefix } from "../../db/keys";
import { queryAll } from "../../db/query";
import type { ProgressRecord } from "./advance";

/**
 * Progress logs: `WS#<ws>#USER#<user> / LPROG#<learningPath|learningGroup>#<id>#<attempt>`
 * (paths per assignment attempt; groups always attempt 1). Written only by the learning
 * progress consumer, inside the event transaction, conditioned on `rev`.
 */
export function progressKey(
  workspaceId: string,
  userId: string,
  entityType: ProgressRecord["entityType"],
  entityId: string,
  attempt: number,
) {
  return { pk: PK.user(workspaceId, userId), sk: sortKey(SK.progress, entityType, entityId, String(attempt)) };
}

const outcomeSchema = z.enum(["SUCCESS", "FAIL"]);

/** A stored progress log (what the learning progress consumer writes; keys are dropped). */
const progressRecordSchema = z.object({
  entityType: z.enum(["learningPath", "learningGroup"]),
  entityId: z.string(),
  attempt: z.number(),
  progress: learningProgressSchema,
  outcome: outcomeSchema.optional(),
  items: z.array(
    z.object({
      itemId: z.string(),
      itemType: z.string(),
      progress: learningProgressSchema,
      outcome: outcomeSchema.optional(),
    }),
  ),
  currentItemId: z.string().optional(),
  currentItemType: z.string().optional(),
  startedAt: z.string(),
  completedAt: z.string().optional(),
  updatedAt: z.string(),
  rev: z.number(),
}) satisfies z.ZodType<ProgressRecord>;

function fromItem(item: Record<string, unknown>): ProgressRecord {
  return parseItem(progressRecordSchema, item, "learning progress");
}

export async function getProgress(
  workspaceId: string,
  userId: string,
  entityType: ProgressRecord["entityType"],
  entityId: string,
  attempt: number,
): Promise<ProgressRecord | null> {
  const out = await documentDb().send(
    new GetCommand({
      TableName: tableName(),
      Key: progressKey(workspaceId, userId, entityType, entityId, attempt),
      ConsistentRead: true,
    }),
  );
  return out.Item ? fromItem(out.Item) : null;
}

/** Every progress record of a user (the learning-group-logs view). */
export async function listProgress(workspaceId: string, userId: string): Promise<ProgressRecord[]> {
  const items = await queryAll({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": PK.user(workspaceId, userId), ":prefix": sortKeyPrefix(SK.progress) },
    ConsistentRead: true,
  });
  return items.map(fromItem);
}

/** The app's `progress` block for a path or group (reference `progress` of assignments). */
const itemProgressViewSchema = z.object({
  itemId: z.string(),
  itemType: z.string(),
  progress: learningProgressSchema.optional(),
  outcome: outcomeSchema.optional(),
});

/** A user's progress in a learning path or group as the app sees it (`progressView`). */
export const progressViewSchema = z
  .object({
    status: z.enum(["NOT_STARTED", "IN_PROGRESS", "COMPLETED"]),
    outcome: outcomeSchema.optional(),
    attempt: z.number().int().positive(),
    progress: z.object({
      total: z.number().int(),
      completed: z.number().int(),
      percentage: z.number().int().min(0).max(100),
    }),
    items: z.array(itemProgressViewSchema),
    currentItemId: z.string().optional(),
    currentItemType: z.string().optional(),
    startedAt: z.string().optional(),
    completedAt: z.string().optional(),
  })
  .openapi("LearningProgress");

export function progressView(record: ProgressRecord | null, listed: readonly { itemId: string; itemType: string }[]) {
  const items = listed.map((i) => {
    const p = record?.items.find((r) => r.itemId === i.itemId && r.itemType === i.itemType);
    return {
      itemId: i.itemId,
      itemType: i.itemType,
      ...(p ? { progress: p.progress } : {}),
      ...(p?.outcome ? { outcome: p.outcome } : {}),
    };
  });
  const completed = items.filter((i) => i.progress === "COMPLETE").length;
  return {
    status: !record ? "NOT_STARTED" : record.progress === "COMPLETE" ? "COMPLETED" : "IN_PROGRESS",
    ...(record?.outcome ? { outcome: record.outcome } : {}),
    attempt: record?.attempt ?? 1,
    progress: {
      total: items.length,
      completed,
      percentage: items.length ? Math.round((completed / items.length) * 100) : 0,
    },
    items,
    ...(record?.currentItemId ? { currentItemId: record.currentItemId, currentItemType: record.currentItemType } : {}),
    ...(record?.startedAt ? { startedAt: record.startedAt } : {}),
    ...(record?.completedAt ? { completedAt: record.completedAt } : {}),
  };
}
