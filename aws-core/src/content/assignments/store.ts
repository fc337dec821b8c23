import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "@hono/zod-openapi";
import { QuestlineError } from "@questline/contracts";
import { documentDb, tableName } from "../../db/client";
import { parseItem } from "../../db/items";
import { INDEX_PK, PK, SK, sortKey, sortKeyPrefix } from "../../db/keys";
import { decodeNextToken, encodeNextToken } from "../../db/pagination";
import { queryAll } from "../../db/query";
import { ownerShape } from "../../records/owner";

/**
 * A learning path assignment: one per user and path, in the user's partition
 * (`WS#<ws>#USER#<user> / LPA#<learningPathId>`), so a rule and a manual assignment can never
 * create two. Listed per workspace through gsi1 (`WS#<ws>#LPA` / `<createdAt>#<id>`) and found
 * by id through gsi2 (`WS#<ws>#LPA#<id>`). Updates are conditioned on `rev`.
 */
export interface Assignment {
  learningPathAssignmentId: string;
  learningPathId: string;
  userId: string;
  workspaceId: string;
  accountId?: string;
  /** Absent on assignments stored before it was recorded. */
  sourceRegion?: string;
  learningPathRuleId?: string;
  groupId?: string;
  periodId: string;
  timeframeType: "PERMANENT" | "RANGE";
  startsAt: string;
  endsAt?: string;
  visibility: "LOCKED" | "UNLOCKED";
  unlockedAt?: string;
  unlockedByRuleId?: string;
  currentAttempt: number;
  createdAt: string;
  updatedAt: string;
  rev: number;
}

export function assignmentKey(workspaceId: string, userId: string, learningPathId: string) {
  return { pk: PK.user(workspaceId, userId), sk: sortKey(SK.assignment, learningPathId) };
}

/** The full item (keys and indexes) of an assignment, for a Put. */
export function assignmentItem(a: Assignment): Record<string, unknown> & { pk: string; sk: string } {
  return {
    ...assignmentKey(a.workspaceId, a.userId, a.learningPathId),
    gsi1pk: INDEX_PK.assignments(a.workspaceId),
    gsi1sk: `${a.createdAt}#${a.learningPathAssignmentId}`,
    gsi2pk: INDEX_PK.assignmentById(a.workspaceId, a.learningPathAssignmentId),
    gsi2sk: "LPA",
    itemType: "LearningPathAssignment",
    ...a,
  };
}

export function assignmentState(a: Assignment, now: Date): "PENDING" | "ACTIVE" | "ENDED" {
  const t = now.getTime();
  if (t < Date.parse(a.startsAt)) return "PENDING";
  if (a.endsAt && t >= Date.parse(a.endsAt)) return "ENDED";
  return "ACTIVE";
}

/** A stored assignment (what `assignmentItem` writes; keys and index attributes are dropped). */
const assignmentSchema = z.object({
  learningPathAssignmentId: z.string(),
  learningPathId: z.string(),
  userId: z.string(),
  workspaceId: z.string(),
  accountId: z.string().optional(),
  sourceRegion: z.string().optional(),
  learningPathRuleId: z.string().optional(),
  groupId: z.string().optional(),
  periodId: z.string(),
  timeframeType: z.enum(["PERMANENT", "RANGE"]),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  visibility: z.enum(["LOCKED", "UNLOCKED"]),
  unlockedAt: z.string().optional(),
  unlockedByRuleId: z.string().optional(),
  currentAttempt: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  rev: z.number(),
}) satisfies z.ZodType<Assignment>;

const assignmentStateSchema = z.enum(["PENDING", "ACTIVE", "ENDED"]);

/** An assignment as the dashboard sees it (`toDashboardAssignment`). */
export const dashboardAssignmentSchema = assignmentSchema
  .omit({ rev: true })
  .extend({
    ...ownerShape,
    state: assignmentStateSchema,
    // The path's own fields (absent when the path no longer exists).
    origin: z.enum(["CATALOG", "AI", "CUSTOM"]).optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    image: z.string().optional(),
    estimatedDuration: z.number().optional(),
    defaultLang: z.string().optional(),
    langs: z.array(z.string()).optional(),
  })
  .openapi("LearningPathAssignment");

function fromItem(item: Record<string, unknown>): Assignment {
  return parseItem(assignmentSchema, item, "learning path assignment");
}

/** Creates the assignment unless the user already has one of that path (→ false). */
export async function createAssignment(a: Assignment): Promise<boolean> {
  try {
    await documentDb().send(
      new PutCommand({
        TableName: tableName(),
        Item: assignmentItem(a),
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** Writes the next revision of an assignment (a lost race → 409). */
export async function saveAssignment(a: Assignment, previousRev: number): Promise<void> {
  try {
    await documentDb().send(
      new PutCommand({
        TableName: tableName(),
        Item: assignmentItem(a),
        ConditionExpression: "rev = :rev",
        ExpressionAttributeValues: { ":rev": previousRev },
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) {
      throw new QuestlineError(
        "resource.conflict",
        `assignment ${a.learningPathAssignmentId} was changed concurrently`,
      );
    }
    throw err;
  }
}

export async function listUserAssignments(workspaceId: string, userId: string): Promise<Assignment[]> {
  const items = await queryAll({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ExpressionAttributeValues: { ":pk": PK.user(workspaceId, userId), ":prefix": sortKeyPrefix(SK.assignment) },
    ConsistentRead: true,
  });
  return items.map(fromItem);
}

export async function findAssignment(workspaceId: string, assignmentId: string): Promise<Assignment | null> {
  const out = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: "gsi2",
      KeyConditionExpression: "gsi2pk = :pk",
      ExpressionAttributeValues: { ":pk": INDEX_PK.assignmentById(workspaceId, assignmentId) },
    }),
  );
  const item = out.Items?.[0];
  return item ? fromItem(item) : null;
}

export async function listWorkspaceAssignments(
  workspaceId: string,
  options: { limit: number; nextToken?: string | undefined },
): Promise<{ items: Assignment[]; nextToken: string | null }> {
  const out = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      ExpressionAttributeValues: { ":pk": INDEX_PK.assignments(workspaceId) },
      Limit: options.limit,
      ExclusiveStartKey: decodeNextToken(options.nextToken, INDEX_PK.assignments(workspaceId), "gsi1"),
    }),
  );
  return {
    items: (out.Items ?? []).map(fromItem),
    nextToken: encodeNextToken(out.LastEvaluatedKey, INDEX_PK.assignments(workspaceId), "gsi1") ?? null,
  };
}

/** A gsi1 page token is accepted only when it pages this workspace's assignment index. */
