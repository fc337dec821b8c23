import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "@hono/zod-openapi";
import { entityIdSchema, newId, QuestlineError } from "@questline/contracts";
import { documentDb, tableName } from "../db/client";
import { parseItem } from "../db/items";
import { INDEX_PK, PK, SK, sortKey } from "../db/keys";
import { decodeNextToken, encodeNextToken } from "../db/pagination";
import type { AppliedEvent } from "../events/types";
import type { EventPipeline } from "../pipeline";
import { type LiveEntry, loadLiveConfig } from "../records/live";
import type { ActivityData } from "./model";

/**
 * Activity logs: `ALOG#<activityLogId>` in the user's partition (a client-chosen id makes a
 * retry a no-op), listed newest first through gsi1 (`<userPk>#ALOG` / `<createdAt>#<id>`).
 */
export const createActivityLogSchema = z.strictObject({
  activityId: entityIdSchema,
  /** Accepted for schema compatibility; must be the acting user when given. */
  userId: entityIdSchema.optional(),
  outcome: z.enum(["SUCCESS", "FAILURE"]).default("SUCCESS"),
  value: z.number().finite().min(-1e9).max(1e9).default(1),
  tags: z.array(entityIdSchema).max(20).default([]),
  additionalData: z.record(z.string(), z.unknown()).default({}),
  activityLogId: entityIdSchema.optional(),
  completedAt: z.iso.datetime({ offset: true }).optional(),
});
export type CreateActivityLogInput = z.infer<typeof createActivityLogSchema>;

export interface ActivityLog {
  activityLogId: string;
  activityId: string;
  userId: string;
  outcome: "SUCCESS" | "FAILURE";
  value: number;
  tags: string[];
  additionalData: Record<string, unknown>;
  completedAt: string;
  createdAt: string;
  updatedAt: string;
}

const MAX_ADDITIONAL_DATA_BYTES = 8_192;

export function activityLogKey(workspaceId: string, userId: string, activityLogId: string) {
  return { pk: PK.user(workspaceId, userId), sk: sortKey(SK.activityLog, activityLogId) };
}

/** A stored activity log (keys, index attributes and the workspace are dropped): also the API's answer. */
export const activityLogItemSchema = z.object({
  activityLogId: z.string(),
  activityId: z.string(),
  userId: z.string(),
  outcome: z.enum(["SUCCESS", "FAILURE"]),
  value: z.number(),
  tags: z.array(z.string()),
  additionalData: z.record(z.string(), z.unknown()),
  completedAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodType<ActivityLog>;
export const activityLogSchema = activityLogItemSchema.openapi("ActivityLog");

function toLog(item: Record<string, unknown>): ActivityLog {
  return parseItem(activityLogItemSchema, item, "activity log");
}

/** Records an activity log and applies it exactly once. A replayed id returns the stored log. */
export async function logActivity(
  events: EventPipeline,
  workspaceId: string,
  userId: string,
  input: CreateActivityLogInput,
  now = new Date(),
): Promise<{ log: ActivityLog; replayed: boolean }> {
  if (input.userId !== undefined && input.userId !== userId) {
    throw new QuestlineError("request.validation_failed", "userId must be the user the request acts for", {
      details: [{ path: "userId", message: "does not match the acting user" }],
    });
  }
  if (JSON.stringify(input.additionalData).length > MAX_ADDITIONAL_DATA_BYTES) {
    throw new QuestlineError("request.validation_failed", "additionalData is too large", {
      details: [{ path: "additionalData", message: `at most ${MAX_ADDITIONAL_DATA_BYTES} bytes of JSON` }],
    });
  }
  const config = await loadLiveConfig(workspaceId);
  const activity = config.activity.get(input.activityId) as LiveEntry<ActivityData> | undefined;
  if (!activity) {
    throw new QuestlineError("resource.not_found", `No published activity ${input.activityId} in this workspace`, {
      details: [{ path: "activityId", message: "unknown or unpublished activity" }],
    });
  }
  const at = now.toISOString();
  const log: ActivityLog = {
    activityLogId: input.activityLogId ?? newId(),
    activityId: input.activityId,
    userId,
    outcome: input.outcome,
    value: input.value,
    tags: input.tags,
    additionalData: input.additionalData,
    completedAt: input.completedAt ?? at,
    createdAt: at,
    updatedAt: at,
  };
  const logItem = {
    ...activityLogKey(workspaceId, userId, log.activityLogId),
    gsi1pk: INDEX_PK.userHistory(workspaceId, userId, SK.activityLog),
    gsi1sk: `${at}#${log.activityLogId}`,
    itemType: "ActivityLog",
    workspaceId,
    ...log,
  };
  const event: AppliedEvent = {
    eventId: log.activityLogId,
    type: "ACTIVITY_LOG",
    workspaceId,
    userId,
    entityType: "Activity",
    entityId: log.activityId,
    tags: [...new Set([...(activity.data.tags ?? []), ...log.tags])],
    occurredAt: log.completedAt,
    rootEventId: log.activityLogId,
    data: { type: "ACTIVITY_LOG", ...log },
    previous: null,
  };
  const result = await events.applyEvent({ workspaceId, userId, rootEvent: event, logItem, now });
  if (!result.applied) return { log: toLog(result.existing), replayed: true };
  return { log, replayed: false };
}

export async function getActivityLog(workspaceId: string, userId: string, activityLogId: string): Promise<ActivityLog> {
  const out = await documentDb().send(
    new GetCommand({
      TableName: tableName(),
      Key: activityLogKey(workspaceId, userId, activityLogId),
      ConsistentRead: true,
    }),
  );
  if (!out.Item) throw new QuestlineError("resource.not_found", `activity log ${activityLogId} not found`);
  return toLog(out.Item);
}

export async function listActivityLogs(
  workspaceId: string,
  userId: string,
  options: { limit: number; nextToken?: string | undefined; order: "asc" | "desc" },
): Promise<{ items: ActivityLog[]; nextToken: string | null }> {
  const gsi1pk = INDEX_PK.userHistory(workspaceId, userId, SK.activityLog);
  const start = options.nextToken ? decodeNextToken(options.nextToken, PK.user(workspaceId, userId)) : undefined;
  const out = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": gsi1pk },
      ScanIndexForward: options.order === "asc",
      Limit: options.limit,
      ExclusiveStartKey: start,
    }),
  );
  return { items: (out.Items ?? []).map(toLog), nextToken: encodeNextToken(out.LastEvaluatedKey) ?? null };
}
