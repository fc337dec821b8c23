import type { LearningProgressState } from "@questline/contracts";
import { evaluate } from "../../rules/jsonlogic";

export type ProgressOutcome = "SUCCESS" | "FAIL";

/** The state of one item inside a path's or group's progress. */
export interface ItemProgress {
  itemId: string;
  itemType: string;
  progress: LearningProgressState;
  outcome?: ProgressOutcome;
}

/** The progress of one user in one learning path (per attempt) or group. */
export interface ProgressRecord {
  entityType: "learningPath" | "learningGroup";
  entityId: string;
  attempt: number;
  progress: LearningProgressState;
  outcome?: ProgressOutcome;
  items: ItemProgress[];
  currentItemId?: string;
  currentItemType?: string;
  startedAt: string;
  completedAt?: string;
  updatedAt: string;
  /** +1 on every write; writes are conditioned on it. */
  rev: number;
}

/** The container definition progress is computed against (a path's or group's items and rules). */
export interface ProgressContainer {
  entityType: "learningPath" | "learningGroup";
  entityId: string;
  items: readonly { itemId: string; itemType: string }[];
  completionRule: unknown;
  outcomeRule: unknown;
}

const ORDER: Record<LearningProgressState, number> = { START: 1, IN_PROGRESS: 2, COMPLETE: 3 };

/** The later of two states: progress never moves backwards. */
export function forward(a: LearningProgressState | undefined, b: LearningProgressState): LearningProgressState {
  return a !== undefined && ORDER[a] >= ORDER[b] ? a : b;
}

/** What the completion and outcome rules see: `{ progress: { total, completed, succeeded, failed, items } }`. */
export function ruleData(container: ProgressContainer, items: readonly ItemProgress[]) {
  const byKey = new Map(items.map((i) => [`${i.itemType}#${i.itemId}`, i]));
  const listed = container.items.map(
    (i) => byKey.get(`${i.itemType}#${i.itemId}`) ?? { itemId: i.itemId, itemType: i.itemType, progress: null },
  );
  const completed = listed.filter((i) => i.progress === "COMPLETE");
  return {
    progress: {
      total: listed.length,
      completed: completed.length,
      succeeded: completed.filter((i) => "outcome" in i && i.outcome === "SUCCESS").length,
      failed: completed.filter((i) => "outcome" in i && i.outcome === "FAIL").length,
      items: listed,
    },
  };
}

/**
 * Applies one child's progress to a container's record (pure). The child's state within the
 * container only moves forward, and its outcome is the one it completed with. The container:
 * START on the first touch, IN_PROGRESS once any item is under way, COMPLETE when the
 * completion rule holds (default: every listed item complete); its outcome then comes from the
 * outcome rule (default: FAIL if any item failed). Once COMPLETE nothing changes.
 * Returns null when nothing changed (the cascade stops there).
 */
export function advance(
  record: ProgressRecord | null,
  container: ProgressContainer,
  child: ItemProgress,
  attempt: number,
  now: Date,
): ProgressRecord | null {
  if (record?.progress === "COMPLETE") return null;
  const at = now.toISOString();
  const items = [...(record?.items ?? [])];
  const index = items.findIndex((i) => i.itemId === child.itemId && i.itemType === child.itemType);
  const before = index >= 0 ? items[index] : undefined;
  if (before?.progress === "COMPLETE") return null;
  const progress = forward(before?.progress, child.progress);
  if (before && before.progress === progress) return null;
  const updated: ItemProgress = {
    itemId: child.itemId,
    itemType: child.itemType,
    progress,
    ...(progress === "COMPLETE" ? { outcome: child.outcome ?? "SUCCESS" } : {}),
  };
  if (index >= 0) items[index] = updated;
  else items.push(updated);

  const data = ruleData(container, items);
  const complete =
    container.completionRule === null || container.completionRule === undefined
      ? data.progress.total > 0 && data.progress.completed === data.progress.total
      : Boolean(evaluate(container.completionRule, data, now));
  const underWay = items.some((i) => i.progress !== "START");
  const state: LearningProgressState = forward(
    record?.progress,
    complete ? "COMPLETE" : underWay ? "IN_PROGRESS" : "START",
  );
  let outcome: ProgressOutcome | undefined;
  if (state === "COMPLETE") {
    outcome =
      container.outcomeRule === null || container.outcomeRule === undefined
        ? data.progress.failed > 0
          ? "FAIL"
          : "SUCCESS"
        : evaluate(container.outcomeRule, data, now)
          ? "SUCCESS"
          : "FAIL";
  }
  const current = nextItem(container, items) ?? { itemId: child.itemId, itemType: child.itemType };
  return {
    entityType: container.entityType,
    entityId: container.entityId,
    attempt,
    progress: state,
    ...(outcome ? { outcome } : {}),
    items,
    currentItemId: current.itemId,
    currentItemType: current.itemType,
    startedAt: record?.startedAt ?? at,
    ...(state === "COMPLETE" ? { completedAt: at } : {}),
    updatedAt: at,
    rev: (record?.rev ?? 0) + 1,
  };
}

/** The first listed item not yet complete (where the user continues). */
function nextItem(container: ProgressContainer, items: readonly ItemProgress[]) {
  const done = new Set(items.filter((i) => i.progress === "COMPLETE").map((i) => `${i.itemType}#${i.itemId}`));
  return container.items.find((i) => !done.has(`${i.itemType}#${i.itemId}`));
}
