import { type Cadence, nextStreakPeriod, periodsBetween, type StreakPeriod, streakPeriodAt } from "./periods";

export type StreakStatus = "ACTIVE" | "COMPLETED" | "BROKEN" | "ENDED";

/** A user's streak on one rule (what GET /streaks returns, minus calendar records). */
export interface StreakState {
  count: number;
  longest: number;
  status: StreakStatus;
  /** The last period that counted (an action or a freeze), with its bounds in the user's zone. */
  lastPeriod: StreakPeriod | null;
  lastContributingPeriodId: string | null;
  freezesUsed: number;
}

export const EMPTY_STREAK: StreakState = {
  count: 0,
  longest: 0,
  status: "ACTIVE",
  lastPeriod: null,
  lastContributingPeriodId: null,
  freezesUsed: 0,
};

export interface StreakRuleShape {
  cadence: Cadence;
  goalTargets: readonly number[];
  freezeEnabled: boolean;
}

export interface CatchUp {
  state: StreakState;
  /** Missed periods covered by a freeze (each one a STREAK_RULE debit). */
  frozen: StreakPeriod[];
  broke: boolean;
}

/**
 * Settles the periods between the last counted one and the current one: each missed period
 * is covered by a freeze when freezes are enabled and the user can pay for all of them
 * (`affordableFreezes`), otherwise the streak breaks (and nothing is charged). Pure: the same
 * input gives the same result whether it runs at the period end or lazily later.
 */
export function catchUp(
  rule: StreakRuleShape,
  state: StreakState,
  current: StreakPeriod,
  zone: string,
  affordableFreezes: number,
): CatchUp {
  if (!state.lastPeriod || state.count === 0) return { state, frozen: [], broke: false };
  const missed = periodsBetween(rule.cadence, state.lastPeriod, current, zone);
  if (missed.length === 0) return { state, frozen: [], broke: false };
  if (rule.freezeEnabled && missed.length <= affordableFreezes) {
    const last = missed[missed.length - 1]!;
    return {
      state: { ...state, lastPeriod: last, freezesUsed: state.freezesUsed + missed.length },
      frozen: missed,
      broke: false,
    };
  }
  return { state: { ...state, count: 0, status: "BROKEN" }, frozen: [], broke: true };
}

export interface GoalProgress {
  iteration: number;
  /** Count within the current cycle. */
  progress: number;
  /** The next goal to reach in this cycle (the last one once the cycle is complete). */
  target: number;
  goalIndex: number;
  cycleCompleted: boolean;
}

export function goalProgress(goalTargets: readonly number[], count: number): GoalProgress | null {
  const targets = [...new Set(goalTargets)].filter((t) => t > 0).sort((a, b) => a - b);
  const cycle = targets[targets.length - 1];
  if (!cycle) return null;
  if (count === 0) return { iteration: 1, progress: 0, target: targets[0]!, goalIndex: 1, cycleCompleted: false };
  const iteration = Math.floor((count - 1) / cycle) + 1;
  const progress = ((count - 1) % cycle) + 1;
  const index = targets.findIndex((t) => t >= progress);
  return { iteration, progress, target: targets[index]!, goalIndex: index + 1, cycleCompleted: progress === cycle };
}

export interface Contribution {
  state: StreakState;
  counted: boolean;
  period: StreakPeriod;
  catchUp: CatchUp;
}

/** An action at `at`: counts once per period, after settling the missed periods before it. */
export function contribute(
  rule: StreakRuleShape,
  state: StreakState,
  at: Date,
  zone: string,
  affordableFreezes: number,
): Contribution {
  const period = streakPeriodAt(rule.cadence, at, zone);
  if (
    state.lastContributingPeriodId === period.periodId ||
    (state.lastPeriod && Date.parse(state.lastPeriod.startsAt) >= Date.parse(period.startsAt) && state.count > 0)
  ) {
    return { state, counted: false, period, catchUp: { state, frozen: [], broke: false } };
  }
  const settled = catchUp(rule, state, period, zone, affordableFreezes);
  const count = settled.state.count + 1;
  const goal = goalProgress(rule.goalTargets, count);
  return {
    state: {
      ...settled.state,
      count,
      longest: Math.max(settled.state.longest, count),
      status: goal?.cycleCompleted ? "COMPLETED" : "ACTIVE",
      lastPeriod: period,
      lastContributingPeriodId: period.periodId,
    },
    counted: true,
    period,
    catchUp: settled,
  };
}

/** A read at `now`: the current period is still open, so only periods before it are settled. */
export function evaluateAt(
  rule: StreakRuleShape,
  state: StreakState,
  now: Date,
  zone: string,
  affordableFreezes: number,
): CatchUp {
  const current = streakPeriodAt(rule.cadence, now, zone);
  return catchUp(rule, state, current, zone, affordableFreezes);
}

export { nextStreakPeriod };
