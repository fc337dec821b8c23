import type { LearningProgressState } from "@questline/contracts";
import { tableName } from "../../db/client";
import { entityRef } from "../../db/keys";
import { getVersioned } from "../../db/versioned";
import { evaluateCondition } from "../../engine/jsonlogic";
import { registerEventConsumer } from "../../events/consumers";
import type { AppliedEvent } from "../../events/types";
import { type Assignment, assignmentItem, listUserAssignments } from "../assignments/store";
import type { LearningPathRuleData } from "../rules/model";
import { ruleActive } from "../rules/model";
import { loadLiveRules } from "../rules/store";
import { advance, type ItemProgress, type ProgressContainer, type ProgressRecord } from "./advance";
import { getProgress, progressKey } from "./store";

/** Built-in event types of learning content (root: submits; derived: container progress). */
export const LEARNING_EVENT_TYPES = {
  quizSubmitted: "QUIZ_SUBMITTED",
  slideSubmitted: "SLIDE_SUBMITTED",
  groupProgress: "LEARNING_GROUP_PROGRESS",
  pathProgress: "LEARNING_PATH_PROGRESS",
} as const;
const SUBMIT_TYPES: readonly string[] = [LEARNING_EVENT_TYPES.quizSubmitted, LEARNING_EVENT_TYPES.slideSubmitted];

/** Cycles in parent links are cut at this depth. */
const MAX_DEPTH = 6;

interface ChainLevel {
  container: ProgressContainer;
  tags: string[];
  attempt: number;
  record: ProgressRecord | null;
}

interface LearningState {
  chain: ChainLevel[];
  assignments: Assignment[];
  unlockRules: { learningPathRuleId: string; rule: LearningPathRuleData }[];
}

interface ContainerData {
  items: { itemId: string; itemType: string }[];
  completionRule?: unknown;
  outcomeRule?: unknown;
  tags?: string[];
  parentId?: string;
  parentType?: "learningPath" | "learningGroup";
}

/** The submitted item's parents, nearest first: its parent, that group's parent, … up to a path. */
async function loadChain(
  workspaceId: string,
  start: { type: "learningPath" | "learningGroup"; id: string } | null,
): Promise<Omit<ChainLevel, "attempt" | "record">[]> {
  const chain: Omit<ChainLevel, "attempt" | "record">[] = [];
  const seen = new Set<string>();
  let next = start;
  while (next && chain.length < MAX_DEPTH && !seen.has(`${next.type}#${next.id}`)) {
    seen.add(`${next.type}#${next.id}`);
    const item = await getVersioned<ContainerData>(entityRef({ workspaceId }, next.type, next.id));
    if (item?.catalog.state !== "PUBLISHED") break;
    chain.push({
      container: {
        entityType: next.type,
        entityId: next.id,
        items: item.data.items,
        completionRule: item.data.completionRule ?? null,
        outcomeRule: item.data.outcomeRule ?? null,
      },
      tags: item.data.tags ?? [],
    });
    next =
      next.type === "learningGroup" && item.data.parentId && item.data.parentType
        ? { type: item.data.parentType, id: item.data.parentId }
        : null;
  }
  return chain;
}

function parentOf(event: AppliedEvent): { type: "learningPath" | "learningGroup"; id: string } | null {
  const { parentId, parentType } = event.data as { parentId?: string; parentType?: "learningPath" | "learningGroup" };
  return parentId && parentType ? { type: parentType, id: parentId } : null;
}

function unlockMatches(rule: LearningPathRuleData, event: AppliedEvent, tags: readonly string[]): boolean {
  switch (rule.eventMatchType) {
    case "INSTANCE":
      return rule.eventMatchEntityId === event.entityId;
    case "ENTITY":
      return true;
    case "TAG":
      return rule.eventMatchEntityId !== undefined && tags.includes(rule.eventMatchEntityId);
    default:
      return false;
  }
}

/**
 * Learning progress, applied inside the event's own transaction (so a retried submit never
 * advances anything twice): a quiz or slide submit advances its parent group or path, a
 * group's change cascades to its parent, each change is a conditioned write (`rev`) and a
 * derived `LEARNING_GROUP_PROGRESS` / `LEARNING_PATH_PROGRESS` event (rewards, streaks and
 * leaderboards see it), and a path's progress fires the matching UNLOCK rules.
 */
export const learningProgressConsumer = registerEventConsumer<LearningState | null>({
  name: "learning-progress",

  async load({ workspaceId, userId, rootEvent }) {
    if (!SUBMIT_TYPES.includes(rootEvent.type)) return null;
    const chain = await loadChain(workspaceId, parentOf(rootEvent));
    if (chain.length === 0) return null;
    const hasPath = chain.some((l) => l.container.entityType === "learningPath");
    const [assignments, unlockRules] = await Promise.all([
      listUserAssignments(workspaceId, userId),
      hasPath ? loadLiveRules(workspaceId, "UNLOCK") : Promise.resolve([]),
    ]);
    const levels = await Promise.all(
      chain.map(async (level) => {
        const { entityType, entityId } = level.container;
        const attempt =
          entityType === "learningPath"
            ? (assignments.find((a) => a.learningPathId === entityId)?.currentAttempt ?? 1)
            : 1;
        return { ...level, attempt, record: await getProgress(workspaceId, userId, entityType, entityId, attempt) };
      }),
    );
    return { chain: levels, assignments, unlockRules };
  },

  apply(event, ctx) {
    const state = ctx.state;
    if (!state || event.eventId !== event.rootEventId || !SUBMIT_TYPES.includes(event.type)) return;
    const data = event.data as { contentType: string; progress: LearningProgressState; outcome?: "SUCCESS" | "FAIL" };
    let child: ItemProgress = {
      itemId: event.entityId,
      itemType: data.contentType,
      progress: data.progress,
      ...(data.outcome ? { outcome: data.outcome } : {}),
    };
    const unlocked = new Set<string>();
    const at = ctx.now.toISOString();
    for (const level of state.chain) {
      const next = advance(level.record, level.container, child, level.attempt, ctx.now);
      if (!next) break;
      const { entityType, entityId } = level.container;
      const isPath = entityType === "learningPath";
      ctx.tx.put(
        {
          TableName: tableName(),
          Item: {
            ...progressKey(ctx.workspaceId, ctx.user.userId, entityType, entityId, level.attempt),
            itemType: "LearningProgress",
            workspaceId: ctx.workspaceId,
            userId: ctx.user.userId,
            ...next,
          },
          ...(level.record
            ? { ConditionExpression: "rev = :rev", ExpressionAttributeValues: { ":rev": level.record.rev } }
            : { ConditionExpression: "attribute_not_exists(pk)" }),
        },
        { kind: "consumer", ref: "learning-progress" },
      );
      const type = isPath ? LEARNING_EVENT_TYPES.pathProgress : LEARNING_EVENT_TYPES.groupProgress;
      const progressEvent: Omit<AppliedEvent, "workspaceId" | "userId" | "rootEventId"> = {
        eventId: `${event.eventId}:${isPath ? "lp" : "lg"}:${entityId}`,
        type,
        entityType: isPath ? "LearningPath" : "LearningGroup",
        entityId,
        tags: level.tags,
        occurredAt: at,
        data: {
          type,
          [isPath ? "learningPathId" : "learningGroupId"]: entityId,
          progress: next.progress,
          ...(next.outcome ? { outcome: next.outcome } : {}),
          attempt: next.attempt,
          currentItemId: next.currentItemId,
          currentItemType: next.currentItemType,
          itemId: child.itemId,
          itemType: child.itemType,
        },
        previous: level.record ? { progress: level.record.progress, outcome: level.record.outcome ?? null } : null,
      };
      ctx.emit(progressEvent);
      if (isPath) {
        for (const { learningPathRuleId, rule } of state.unlockRules) {
          if (!ruleActive(rule, ctx.now) || !unlockMatches(rule, progressEvent as AppliedEvent, level.tags)) continue;
          const fires =
            rule.eventMatchCondition === null || rule.eventMatchCondition === undefined
              ? next.progress === "COMPLETE"
              : evaluateCondition(rule.eventMatchCondition, { event: progressEvent.data, user: ctx.user }, ctx.now);
          if (!fires) continue;
          const target = state.assignments.find(
            (a) => a.learningPathId === rule.unlockLearningPathId && a.visibility === "LOCKED",
          );
          if (!target || unlocked.has(target.learningPathId)) continue;
          unlocked.add(target.learningPathId);
          ctx.tx.put(
            {
              TableName: tableName(),
              Item: assignmentItem({
                ...target,
                visibility: "UNLOCKED",
                unlockedAt: at,
                unlockedByRuleId: learningPathRuleId,
                updatedAt: at,
                rev: target.rev + 1,
              }),
              ConditionExpression: "rev = :rev",
              ExpressionAttributeValues: { ":rev": target.rev },
            },
            { kind: "consumer", ref: "learning-unlock" },
          );
        }
      }
      child = {
        itemId: entityId,
        itemType: entityType,
        progress: next.progress,
        ...(next.outcome ? { outcome: next.outcome } : {}),
      };
    }
  },
});
