import { evaluateCondition, evaluateIncrement } from "../engine/jsonlogic";
import { matchesEntity } from "../engine/matching";
import type { AppliedEvent, RuleUser } from "../events/types";
import { computeTarget, type Mission, missionState, toMissionData } from "./instance";

export interface MissionProgress {
  before: Mission;
  after: Mission;
  increment: number;
  /** The update flipped `isCompleted` false → true. */
  completed: boolean;
}

/**
 * Applies one event to the user's missions (pure): every ACTIVE, not yet completed mission
 * whose matching and `matchCondition` (over `{ user, event }`) accept the event grows by its
 * `incrementExpression` (over `{ user, event, mission }`), capped at the target (INDIVIDUAL
 * missions stop there). A target still unset is computed now and frozen.
 */
export function planProgress(
  missions: readonly Mission[],
  event: AppliedEvent,
  user: RuleUser,
  now: Date,
): MissionProgress[] {
  const out: MissionProgress[] = [];
  for (const mission of missions) {
    if (mission.isCompleted || missionState(mission, now) !== "ACTIVE") continue;
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
    const reached = mission.currentAmount + increment >= target;
    const at = now.toISOString();
    const after: Mission = {
      ...mission,
      targetAmount: target,
      currentAmount: reached ? target : mission.currentAmount + increment,
      isCompleted: reached,
      ...(reached ? { completedAt: at } : {}),
      updatedAt: at,
      rev: mission.rev + 1,
    };
    out.push({ before: mission, after, increment, completed: reached });
  }
  return out;
}
