import type { AppliedEvent, RuleUser } from "../events/types";
import type { LiveConfig, LiveEntry } from "../records/live";
import { evaluate, evaluateCondition } from "../rules/jsonlogic";
import { matchesEntity } from "../rules/matching";
import { resolveZone, stateAt } from "../rules/timeframe";
import type { VirtualCurrencyData } from "../wallet/currency";
import type { CurrencyLimits, LedgerEntry, WalletWrites } from "../wallet/ledger";
import { aggregatesOf, type RecordKind } from "./calendar";
import type { CatchUp, StreakState } from "./evaluate";
import type { StreakConfigurationData, StreakRuleData } from "./model";
import { periodsBetween, type StreakPeriod, streakPeriodAt } from "./periods";
import type { StreakItem, StreakTxWriter } from "./store";

/**
 * Planning shared by the event consumer and lazy settlement: which live rules apply, what a
 * freeze costs and how many the user can pay, and the writes of one transition (counter,
 * calendar records, one `STREAK_RULE` debit per frozen period).
 */

/** At most this many consecutive missed periods can be frozen at once; more break the streak. */
export const MAX_FREEZES_PER_SETTLEMENT = 10;

export interface LiveStreakRule {
  ruleId: string;
  rule: StreakRuleData;
  config: StreakConfigurationData;
  configId: string;
  /** The published configuration's timestamps (absent on snapshots written before they were kept). */
  configStamps?: { createdAt: string; updatedAt: string };
  limits?: CurrencyLimits;
}

/** Published rules whose configuration is published too. */
export function liveStreakRules(live: LiveConfig): LiveStreakRule[] {
  const out: LiveStreakRule[] = [];
  for (const entry of live.streakRule.values()) {
    const rule = (entry as LiveEntry<StreakRuleData>).data;
    const config = live.streakConfiguration.get(rule.streakConfigurationId) as
      | LiveEntry<StreakConfigurationData>
      | undefined;
    if (!config) continue;
    const currency = rule.freezeVirtualCurrencyId
      ? (live.virtualCurrency.get(rule.freezeVirtualCurrencyId) as LiveEntry<VirtualCurrencyData> | undefined)
      : undefined;
    out.push({
      ruleId: entry.id,
      rule,
      config: config.data,
      configId: config.id,
      ...(config.createdAt && config.updatedAt
        ? { configStamps: { createdAt: config.createdAt, updatedAt: config.updatedAt } }
        : {}),
      ...(currency
        ? {
            limits: {
              virtualCurrencyId: currency.id,
              minAllowedBalance: currency.data.minAllowedBalance ?? 0,
              maxAllowedBalance: currency.data.maxAllowedBalance,
            },
          }
        : {}),
    });
  }
  return out;
}

export function ruleState(rule: StreakRuleData, at: Date) {
  return stateAt(at, rule.timeframeStartsAt, rule.timeframeEndsAt);
}

export function ruleZone(rule: StreakRuleData, user: RuleUser): string {
  return resolveZone(rule, user.timezone);
}

export function ruleAppliesTo(live: LiveStreakRule, user: RuleUser, now: Date): boolean {
  return evaluateCondition(live.rule.usersMatchCondition, { user }, now);
}

/** Whether an applied event counts toward the rule's streak (matching as for missions; failures never count). */
export function eventCounts(live: LiveStreakRule, event: AppliedEvent, user: RuleUser, now: Date): boolean {
  if (event.type === "VIRTUAL_TRANSACTION" || event.data.outcome === "FAILURE") return false;
  if (!matchesEntity(live.config, event)) return false;
  return evaluateCondition(
    live.config.matchCondition,
    { user, event: event.data, previousEvent: event.previous ?? null },
    now,
  );
}

/** Price of one freeze: the expression over `{ user, streak }`; absent or unusable → 1, never below 0. */
export function freezeCost(rule: StreakRuleData, user: RuleUser, state: StreakState, now: Date): number {
  if (rule.freezeCostExpression === undefined || rule.freezeCostExpression === null) return 1;
  const raw = evaluate(rule.freezeCostExpression, { user, streak: { ...state } }, now);
  const n = typeof raw === "number" ? raw : raw === null || raw === "" ? Number.NaN : Number(raw);
  return Number.isFinite(n) ? Math.max(0, n) : 1;
}

/**
 * How many of the periods missed before `current` the user can pay for, with `spendable`
 * funds: costs are evaluated freeze by freeze (the expression sees `freezesUsed` grow). The
 * result is capped at MAX_FREEZES_PER_SETTLEMENT. Returns the affordable count and the costs.
 */
export function affordableFreezes(
  live: LiveStreakRule,
  user: RuleUser,
  state: StreakState,
  current: StreakPeriod,
  zone: string,
  spendable: number,
  now: Date,
): { affordable: number; costs: number[] } {
  if (!live.rule.freezeEnabled || !live.limits || !state.lastPeriod || state.count === 0) {
    return { affordable: 0, costs: [] };
  }
  const missed = periodsBetween(live.rule.cadence, state.lastPeriod, current, zone, MAX_FREEZES_PER_SETTLEMENT + 1);
  if (missed.length === 0 || missed.length > MAX_FREEZES_PER_SETTLEMENT) return { affordable: 0, costs: [] };
  const costs: number[] = [];
  let total = 0;
  for (let i = 0; i < missed.length; i++) {
    const cost = freezeCost(live.rule, user, { ...state, freezesUsed: state.freezesUsed + i }, now);
    if (total + cost > spendable) break;
    total += cost;
    costs.push(cost);
  }
  return { affordable: costs.length, costs };
}

export function currentPeriod(live: LiveStreakRule, at: Date, zone: string): StreakPeriod {
  return streakPeriodAt(live.rule.cadence, at, zone);
}

export interface Transition {
  before: StreakItem;
  after: StreakState;
  /** The period an action counted in, if any. */
  counted: StreakPeriod | null;
  catchUp: CatchUp;
  costs: number[];
}

/**
 * Writes one transition: the counter (conditioned on the loaded `rev`), a calendar record for
 * each counted or frozen period plus its aggregates, and a COMPLETED `STREAK_RULE` debit per
 * frozen period with the deterministic id `<rule>:<user>:<periodId>`. Returns the debits.
 */
export function writeTransition(
  live: LiveStreakRule,
  t: Transition,
  writer: StreakTxWriter,
  wallet: WalletWrites,
  loadedRev: number | null,
  zone: string,
  now: Date,
): { item: StreakItem; debits: LedgerEntry[] } {
  const at = now.toISOString();
  const item: StreakItem = {
    ...t.before,
    ...t.after,
    timezone: zone,
    rev: (loadedRev ?? 0) + 1,
    updatedAt: at,
  };
  writer.putCounter(item, loadedRev);
  const cadence = live.rule.cadence;
  const mark = (period: StreakPeriod, kind: RecordKind) => {
    writer.putPeriodRecord(
      item,
      { periodType: cadence, periodId: period.periodId, startsAt: period.startsAt, endsAt: period.endsAt, kind },
      at,
    );
    for (const agg of aggregatesOf(cadence, period, zone)) writer.addToAggregate(item, agg, kind, at);
  };
  const debits: LedgerEntry[] = [];
  for (const [i, period] of t.catchUp.frozen.entries()) {
    mark(period, "FREEZE");
    const cost = t.costs[i] ?? 0;
    if (cost <= 0 || !live.limits) continue;
    const id = `${live.ruleId}:${item.userId}:${period.periodId}`;
    const entry: LedgerEntry = {
      virtualTransactionId: id,
      virtualTransactionGroupId: id,
      workspaceId: item.workspaceId,
      userId: item.userId,
      virtualCurrencyId: live.limits.virtualCurrencyId,
      direction: "DEBIT",
      amount: cost,
      state: "COMPLETED",
      redemptionMode: "AUTO",
      initiatorType: "STREAK_RULE",
      initiator: live.ruleId,
      counterpartType: "SYSTEM",
      counterpart: "SYSTEM",
      sourceEntityType: "Streak",
      sourceEntityId: item.streakId,
      additionalData: { periodId: period.periodId, reason: "STREAK_FREEZE" },
      createdAt: at,
      updatedAt: at,
    };
    wallet.debit(entry, live.limits);
    debits.push(entry);
  }
  if (t.counted) mark(t.counted, "REGULAR");
  return { item, debits };
}
