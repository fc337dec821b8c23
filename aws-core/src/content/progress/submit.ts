import { createHash } from "node:crypto";
import { z } from "@hono/zod-openapi";
import { type LearningProgressState, learningProgressSchema, newId, QuestlineError } from "@questline/contracts";
import { parseItem } from "../../db/items";
import { INDEX_PK, PK, SK, sortKey } from "../../db/keys";
import { type AppliedEvent, EVENT_TYPES } from "../../events/types";
import type { EventPipeline } from "../../pipeline";
import { recordRef } from "../../records/kinds";
import { newOwnerFields, ownerFields, ownerShape } from "../../records/owner";
import { type CatalogRecord, getCatalogRecord } from "../../records/store";

/** What a quiz or slide submit records (the immutable log of the event). */
export interface LearningSubmission {
  submissionId: string;
  contentType: "quiz" | "slide";
  contentId: string;
  userId: string;
  workspaceId: string;
  accountId?: string;
  /** Absent on submissions stored before it was recorded. */
  sourceRegion?: string;
  lang: string;
  progress: LearningProgressState;
  context: string;
  answer?: string;
  outcome?: "SUCCESS" | "FAIL";
  difficulty?: string;
  parentId?: string;
  parentType?: "learningPath" | "learningGroup";
  startedAt: string;
  completedAt?: string;
  createdAt: string;
}

/** A stored submission log (keys and index attributes are dropped). */
const submissionSchema = z.object({
  submissionId: z.string(),
  contentType: z.enum(["quiz", "slide"]),
  contentId: z.string(),
  userId: z.string(),
  workspaceId: z.string(),
  accountId: z.string().optional(),
  sourceRegion: z.string().optional(),
  lang: z.string(),
  progress: learningProgressSchema,
  context: z.string(),
  answer: z.string().optional(),
  outcome: z.enum(["SUCCESS", "FAIL"]).optional(),
  difficulty: z.string().optional(),
  parentId: z.string().optional(),
  parentType: z.enum(["learningPath", "learningGroup"]).optional(),
  startedAt: z.string(),
  completedAt: z.string().optional(),
  createdAt: z.string(),
}) satisfies z.ZodType<LearningSubmission>;

/** The submit response of a quiz (`quizId`) or a slide (`slideId`): the submission log (`toSubmitResponse`). */
export function submitResponseSchema(idField: "quizId" | "slideId", component: string) {
  return submissionSchema
    .omit({ contentType: true, contentId: true })
    .extend({ [idField]: z.string(), ...ownerShape })
    .openapi(component);
}

export interface SubmitInput {
  workspaceId: string;
  userId: string;
  accountId?: string | undefined;
  item: CatalogRecord<{ tags?: string[]; parentId?: string; parentType?: "learningPath" | "learningGroup" }>;
  itemType: "quiz" | "slide";
  progress: LearningProgressState;
  context: string;
  lang?: string | undefined;
  answer?: string;
  outcome?: "SUCCESS" | "FAIL";
  difficulty?: string;
  parentId?: string | undefined;
  parentType?: "learningPath" | "learningGroup" | undefined;
  /** The client's `x-idempotency-key`: the same key always names the same submission. */
  idempotencyKey?: string | undefined;
  now?: Date;
}

/** A deterministic submission id for a client key, so a retried submit is the same event. */
function submissionIdFor(input: SubmitInput): string {
  if (!input.idempotencyKey) return newId();
  return createHash("sha256")
    .update([input.workspaceId, input.userId, input.itemType, input.item.id, input.idempotencyKey].join("\u0000"))
    .digest("base64url")
    .slice(0, 21);
}

/** The parent the submit counts toward: the body's, else the item's own; it must list the item. */
async function resolveParent(input: SubmitInput) {
  const parentId = input.parentId ?? (input.parentType ? undefined : input.item.data.parentId);
  const parentType = input.parentType ?? (input.parentId ? undefined : input.item.data.parentType);
  if (!parentId && !parentType) return {};
  if (!parentId || !parentType) {
    throw new QuestlineError("request.validation_failed", "Request body is invalid", {
      details: [{ path: parentId ? "parentType" : "parentId", message: "parentId and parentType go together" }],
    });
  }
  const parent = await getCatalogRecord<{ items: { itemId: string; itemType: string }[] }>(
    recordRef({ workspaceId: input.workspaceId }, parentType, parentId),
  );
  if (parent?.catalog.state !== "PUBLISHED") {
    throw new QuestlineError("resource.not_found", `${parentType} ${parentId} not found`);
  }
  if (!parent.data.items.some((i) => i.itemId === input.item.id && i.itemType === input.itemType)) {
    throw new QuestlineError(
      "request.validation_failed",
      `${input.itemType} is not an item of ${parentType} ${parentId}`,
      {
        details: [{ path: "parentId", message: `does not list ${input.itemType} ${input.item.id}` }],
      },
    );
  }
  return { parentId, parentType };
}

/**
 * Records a quiz or slide submit and applies it through the exactly-once event pipeline
 * (missions, rewards, streaks, leaderboards, learning progress) — the same path as activity
 * logs. A replayed submission id returns the stored submission and changes nothing.
 */
export async function submitLearningItem(
  events: EventPipeline,
  input: SubmitInput,
): Promise<{ submission: LearningSubmission; replayed: boolean }> {
  const now = input.now ?? new Date();
  const at = now.toISOString();
  const parent = await resolveParent(input);
  const submissionId = submissionIdFor(input);
  const submission: LearningSubmission = {
    submissionId,
    contentType: input.itemType,
    contentId: input.item.id,
    userId: input.userId,
    ...newOwnerFields(input),
    lang: input.lang ?? input.item.catalog.defaultLang,
    progress: input.progress,
    context: input.context,
    ...(input.answer !== undefined ? { answer: input.answer } : {}),
    ...(input.outcome !== undefined ? { outcome: input.outcome } : {}),
    ...(input.difficulty !== undefined ? { difficulty: input.difficulty } : {}),
    ...parent,
    startedAt: at,
    ...(input.progress === "COMPLETE" ? { completedAt: at } : {}),
    createdAt: at,
  };
  const pk = PK.user(input.workspaceId, input.userId);
  const logItem = {
    pk,
    sk: sortKey(SK.submission, submissionId),
    gsi1pk: INDEX_PK.userHistory(input.workspaceId, input.userId, SK.submission),
    gsi1sk: `${at}#${submissionId}`,
    ...submission,
    itemType: "LearningSubmission",
  };
  const type = input.itemType === "quiz" ? EVENT_TYPES.quizSubmitted : EVENT_TYPES.slideSubmitted;
  const event: AppliedEvent = {
    eventId: submissionId,
    type,
    workspaceId: input.workspaceId,
    userId: input.userId,
    entityType: input.itemType === "quiz" ? "Quiz" : "Slide",
    entityId: input.item.id,
    tags: input.item.data.tags ?? [],
    occurredAt: at,
    rootEventId: submissionId,
    data: { type, ...submission },
    previous: null,
  };
  const result = await events.applyEvent({
    workspaceId: input.workspaceId,
    userId: input.userId,
    rootEvent: event,
    logItem,
    now,
  });
  if (!result.applied) {
    return { submission: parseItem(submissionSchema, result.existing, "learning submission"), replayed: true };
  }
  return { submission, replayed: false };
}

/** The reference's submit response: the submission with `quizId` / `slideId`. */
export function toSubmitResponse(s: LearningSubmission): Record<string, unknown> {
  const { contentType, contentId, ...rest } = s;
  return { [contentType === "quiz" ? "quizId" : "slideId"]: contentId, ...rest, ...ownerFields(s) };
}
