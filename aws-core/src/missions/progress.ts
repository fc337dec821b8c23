import type { AppliedEvent, RuleUser } from "../events/types";
import { evaluateCondition, evaluateIncrement } from "../rules/jsonlogic";
import { matchesEntity } from "../rules/matching";
import { computeTarget, type Mission, missionState, toMissionData } from "./instance";

export interface MissionProgress {
  before: Mission;
  after: Mission;
  increment: number;
  /** The update flipped `isCompleted` false → true. */
  completed: boolean;
}

/**
 * Applies one event to the missions the user takes part in (pure): every ACTIVE mission whose
 * matching and `matchCondition` (over `{ user, event }`) accept the event grows by its
 * `incrementExpression` (over `{ user, event, mission }`). A target still unset is computed
 * now and frozen. INDIVIDUAL missions stop at the target (and once completed take nothing
 * more); GROUP missions keep counting past it. Completion flips false → true once.
 */
export function planProgress(
  missions: readonly Mission[],
  event: AppliedEvent,
  user: RuleUser,
  now: Date,
): MissionProgress[] {
  const out: MissionProgress[] = [];
  for (const mission of missions) {
    const group = mission.missionType === "GROUP";
    if ((mission.isCompleted && !group) || missionState(mission, now) !== "ACTIVE") continue;
    const spec = {
      matchType: mission.matchType,
      matchEntity: mission.matchEntity,
      matchEntityId: mission.matchEntityId,
    };
    if (!matchesEntity(spec, event)) continue;
    if (!evaluateCondition(mission.matchCondition, { user, event: event.data }, now)) continue;
    const increment = evaluateIncrement(
      mission.incrementExpression,
      { user, event: event.data, mission: toMissionData(mission) },
      now,
    );
    const target = mission.targetAmount ?? computeTarget(mission, user, now);
    const sum = mission.currentAmount + increment;
    const completed = !mission.isCompleted && sum >= target;
    const at = now.toISOString();
    const after: Mission = {
      ...mission,
      targetAmount: target,
      currentAmount: group ? sum : completed ? target : sum,
      isCompleted: mission.isCompleted || completed,
      ...(completed ? { completedAt: at } : {}),
      ...(completed && group ? { completedByUserId: user.userId } : {}),
      updatedAt: at,
      rev: mission.rev + 1,
    };
    out.push({ before: mission, after, increment, completed });
  }
  return out;
}
