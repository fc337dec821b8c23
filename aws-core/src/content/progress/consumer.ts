import type { LearningProgressState } from "@questline/contracts";
import { tableName } from "../../db/client";
import { type AppliedEvent, EVENT_TYPES } from "../../events/types";
import type { EventConsumer } from "../../pipeline/consumer";
import { recordRef } from "../../records/kinds";
import { getCatalogRecord } from "../../records/store";
import { evaluateCondition } from "../../rules/jsonlogic";
import { type Assignment, assignmentItem, assignmentState, listUserAssignments } from "../assignments/store";
import { activitiesInPublishedPaths } from "../live-structure";
import type { LearningPathRuleData } from "../rules/model";
import { ruleActive } from "../rules/model";
import { liveRulesOf } from "../rules/store";
import { advance, type ItemProgress, type ProgressContainer, type ProgressRecord } from "./advance";
import { getProgress, progressKey } from "./store";

const SUBMIT_TYPES: readonly string[] = [EVENT_TYPES.quizSubmitted, EVENT_TYPES.slideSubmitted];

/** Cycles in parent links are cut at this depth. */
const MAX_DEPTH = 6;

interface ChainLevel {
  container: ProgressContainer;
  tags: string[];
  attempt: number;
  record: ProgressRecord | null;
}

/** A container as loaded, before its progress record. */
type LoadedLevel = Omit<ChainLevel, "attempt" | "record">;

interface LearningState {
  /** Every container the root event's item sits in, by `<type>#<id>#<attempt>`. */
  levels: Map<string, ChainLevel>;
  /** Each way the item reaches a container chain: level keys, nearest container first. */
  chains: string[][];
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

type ContainerRef = { type: "learningPath" | "learningGroup"; id: string };

async function loadContainer(workspaceId: string, ref: ContainerRef): Promise<LoadedLevel | null> {
  const item = await getCatalogRecord<ContainerData>(recordRef({ workspaceId }, ref.type, ref.id));
  if (item?.catalog.state !== "PUBLISHED") return null;
  return {
    container: {
      entityType: ref.type,
      entityId: ref.id,
      items: item.data.items,
      completionRule: item.data.completionRule ?? null,
      outcomeRule: item.data.outcomeRule ?? null,
    },
    tags: item.data.tags ?? [],
  };
}

/** The submitted item's parents, nearest first: its parent, that group's parent, … up to a path. */
async function loadChain(workspaceId: string, start: ContainerRef | null): Promise<LoadedLevel[]> {
  const chain: LoadedLevel[] = [];
  const seen = new Set<string>();
  let next = start;
  while (next && chain.length < MAX_DEPTH && !seen.has(`${next.type}#${next.id}`)) {
    seen.add(`${next.type}#${next.id}`);
    const item = await getCatalogRecord<ContainerData>(recordRef({ workspaceId }, next.type, next.id));
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

/**
 * Every chain (nearest container first, the path last) through which an assigned path holds
 * the activity: the path itself, or groups nested in it (depth-first, up to MAX_DEPTH, each
 * group once per path).
 */
async function activityChains(workspaceId: string, pathId: string, activityId: string): Promise<LoadedLevel[][]> {
  const path = await loadContainer(workspaceId, { type: "learningPath", id: pathId });
  if (!path) return [];
  const chains: LoadedLevel[][] = [];
  const seen = new Set<string>();
  const walk = async (level: LoadedLevel, ancestors: LoadedLevel[]): Promise<void> => {
    const here = [level, ...ancestors];
    if (level.container.items.some((i) => i.itemType === "activity" && i.itemId === activityId)) chains.push(here);
    if (here.length >= MAX_DEPTH) return;
    const groups = level.container.items.filter((i) => i.itemType === "learningGroup" && !seen.has(i.itemId));
    for (const g of groups) seen.add(g.itemId);
    const loaded = await Promise.all(
      groups.map((g) => loadContainer(workspaceId, { type: "learningGroup", id: g.itemId })),
    );
    for (const group of loaded) if (group) await walk(group, here);
  };
  await walk(path, []);
  return chains;
}

const levelKey = (level: LoadedLevel, attempt: number) =>
  `${level.container.entityType}#${level.container.entityId}#${attempt}`;

/** The root event's item as a child of its containers (null: not a learning event). */
function rootItem(event: AppliedEvent): ItemProgress | null {
  if (SUBMIT_TYPES.includes(event.type)) {
    const data = event.data as { contentType: string; progress: LearningProgressState; outcome?: "SUCCESS" | "FAIL" };
    return {
      itemId: event.entityId,
      itemType: data.contentType,
      progress: data.progress,
      ...(data.outcome ? { outcome: data.outcome } : {}),
    };
  }
  if (event.type === EVENT_TYPES.activityLog) {
    // An activity log completes the activity item; a FAILURE completes it failed (like a wrong answer).
    const outcome = (event.data as { outcome?: string }).outcome === "FAILURE" ? "FAIL" : "SUCCESS";
    return { itemId: event.entityId, itemType: "activity", progress: "COMPLETE", outcome };
  }
  return null;
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
 * Learning progress, applied inside the event's own transaction (so a retried submit or log
 * never advances anything twice): a quiz or slide submit advances its parent group or path;
 * an activity log advances every assigned (UNLOCKED, current) path that lists the activity,
 * directly or in nested groups (read only when the live configuration's published path
 * structure lists the activity somewhere: see content/live-structure.ts). A group's change cascades to its parent, each changed record
 * is written once, conditioned on its `rev`, each change is a derived
 * `LEARNING_GROUP_PROGRESS` / `LEARNING_PATH_PROGRESS` event (missions, rewards, streaks and
 * leaderboards see it), and a path's progress fires the matching UNLOCK rules.
 */
export const learningProgressConsumer: EventConsumer<LearningState | null> = {
  name: "learning-progress",

  async load({ workspaceId, userId, rootEvent, now, config }) {
    let chains: LoadedLevel[][];
    let assignments: Assignment[];
    if (SUBMIT_TYPES.includes(rootEvent.type)) {
      const [chain, loaded] = await Promise.all([
        loadChain(workspaceId, parentOf(rootEvent)),
        listUserAssignments(workspaceId, userId),
      ]);
      chains = chain.length ? [chain] : [];
      assignments = loaded;
    } else if (rootEvent.type === EVENT_TYPES.activityLog) {
      // Most activities sit in no published path: the cached live configuration (the same load
      // the pipeline awaits) says so without reading the user's assignments.
      if (!activitiesInPublishedPaths(await config).has(rootEvent.entityId)) return null;
      // Assigned, unlocked, current paths that hold the activity (directly or in nested groups).
      assignments = await listUserAssignments(workspaceId, userId);
      const open = assignments.filter((a) => a.visibility === "UNLOCKED" && assignmentState(a, now) === "ACTIVE");
      if (open.length === 0) return null;
      chains = (
        await Promise.all(open.map((a) => activityChains(workspaceId, a.learningPathId, rootEvent.entityId)))
      ).flat();
    } else {
      return null;
    }
    if (chains.length === 0) return null;
    const attemptOf = (level: LoadedLevel) =>
      level.container.entityType === "learningPath"
        ? (assignments.find((a) => a.learningPathId === level.container.entityId)?.currentAttempt ?? 1)
        : 1;
    const unique = new Map<string, LoadedLevel>();
    const keyed = chains.map((chain) =>
      chain.map((level) => {
        const key = levelKey(level, attemptOf(level));
        unique.set(key, level);
        return key;
      }),
    );
    const hasPath = [...unique.values()].some((l) => l.container.entityType === "learningPath");
    const [unlockRules, ...records] = await Promise.all([
      hasPath ? config.then((c) => liveRulesOf(c, "UNLOCK")) : Promise.resolve([]),
      ...[...unique.values()].map((level) => {
        const { entityType, entityId } = level.container;
        return getProgress(workspaceId, userId, entityType, entityId, attemptOf(level));
      }),
    ]);
    const levels = new Map<string, ChainLevel>();
    for (const [i, [key, level]] of [...unique.entries()].entries()) {
      levels.set(key, { ...level, attempt: attemptOf(level), record: records[i] ?? null });
    }
    return { levels, chains: keyed, assignments, unlockRules };
  },

  apply(event, ctx) {
    const state = ctx.state;
    if (!state || event.eventId !== event.rootEventId) return;
    const item = rootItem(event);
    if (!item) return;
    const unlocked = new Set<string>();
    const emitted = new Map<string, number>();
    /** Records this event changed: written once each, conditioned on the loaded `rev`. */
    const changed = new Map<string, ProgressRecord>();
    /** A container reached again with the same child (a group shared by two assigned paths): what went up. */
    const passedUp = new Map<string, ItemProgress | null>();
    const at = ctx.now.toISOString();
    for (const chain of state.chains) {
      let child = item;
      for (const key of chain) {
        const step = `${key}|${child.itemType}#${child.itemId}`;
        if (passedUp.has(step)) {
          const up = passedUp.get(step);
          if (!up) break;
          child = up;
          continue;
        }
        const level = state.levels.get(key)!;
        const record = changed.get(key) ?? level.record;
        const next = advance(record, level.container, child, level.attempt, ctx.now);
        passedUp.set(step, null);
        if (!next) break;
        changed.set(key, next);
        const { entityType, entityId } = level.container;
        const isPath = entityType === "learningPath";
        const type = isPath ? EVENT_TYPES.learningPathProgress : EVENT_TYPES.learningGroupProgress;
        const baseId = `${event.eventId}:${isPath ? "lp" : "lg"}:${entityId}`;
        const seen = emitted.get(baseId) ?? 0;
        emitted.set(baseId, seen + 1);
        const progressEvent: Omit<AppliedEvent, "workspaceId" | "userId" | "rootEventId"> = {
          // The same container reached twice (an activity listed in a path and in one of its groups): `…:2`.
          eventId: seen === 0 ? baseId : `${baseId}:${seen + 1}`,
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
          previous: record ? { progress: record.progress, outcome: record.outcome ?? null } : null,
        };
        ctx.emit(progressEvent);
        if (isPath && next.progress === "COMPLETE" && record?.progress !== "COMPLETE") {
          ctx.publish({
            type: "learning-path.completed",
            key: `${entityId}:${next.attempt}`,
            occurredAt: at,
            data: {
              learningPathId: entityId,
              attempt: next.attempt,
              ...(next.outcome ? { outcome: next.outcome } : {}),
            },
          });
        }
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
        passedUp.set(step, child);
      }
    }
    for (const [key, next] of changed) {
      const level = state.levels.get(key)!;
      const { entityType, entityId } = level.container;
      ctx.tx.put(
        {
          TableName: tableName(),
          Item: {
            ...progressKey(ctx.workspaceId, ctx.user.userId, entityType, entityId, level.attempt),
            itemType: "LearningProgress",
            workspaceId: ctx.workspaceId,
            userId: ctx.user.userId,
            ...next,
            rev: (level.record?.rev ?? 0) + 1,
          },
          ...(level.record
            ? { ConditionExpression: "rev = :rev", ExpressionAttributeValues: { ":rev": level.record.rev } }
            : { ConditionExpression: "attribute_not_exists(pk)" }),
        },
        { kind: "consumer", ref: "learning-progress" },
      );
    }
  },
};
