import { EVENT_TYPES } from "../events/types";
import type { EventConsumer } from "../pipeline/consumer";
import { walletConsumer } from "../wallet/consumer";
import { contribute } from "./evaluate";
import {
  affordableFreezes,
  currentPeriod,
  eventCounts,
  type LiveStreakRule,
  liveStreakRules,
  ruleAppliesTo,
  ruleState,
  ruleZone,
  writeTransition,
} from "./plan";
import { loadAvailable, loadStreakItems, newStreakItem, type StreakItem, StreakTxWriter } from "./store";

interface Working {
  item: StreakItem;
  /** The `rev` the counter had when loaded (null: not stored yet); every write is conditioned on it. */
  loadedRev: number | null;
}

interface StreakConsumerState {
  rules: LiveStreakRule[];
  items: Map<string, StreakItem>;
  /** Completed funds per freeze currency, minus what this plan already debits. */
  spendable: Map<string, number>;
  /** Per plan: counters this transaction already writes. */
  working: Map<string, Working>;
  writer?: StreakTxWriter;
}

/**
 * The streak consumer of the exactly-once event pipeline. A matching event counts once per
 * period of the rule's cadence in the user's zone; the periods missed since the last counted
 * one are settled first — frozen when the user can pay for all of them (`load` reads the
 * balance; the debit in the event's transaction is conditioned on it, so a race that spends
 * the funds makes the pipeline reload and re-plan: the streak then breaks), otherwise broken.
 * Counter, calendar records and freeze debits join the event's transaction.
 */
export const streakConsumer: EventConsumer<StreakConsumerState> = {
  name: "streaks",
  async load({ workspaceId, userId, config }) {
    const rules = liveStreakRules(await config);
    if (rules.length === 0) return { rules, items: new Map(), spendable: new Map(), working: new Map() };
    const currencies = rules.flatMap((r) => (r.rule.freezeEnabled && r.limits ? [r.limits.virtualCurrencyId] : []));
    const [items, available] = await Promise.all([
      loadStreakItems(workspaceId, userId),
      loadAvailable(workspaceId, userId, currencies),
    ]);
    const spendable = new Map<string, number>();
    for (const r of rules) {
      if (!r.limits) continue;
      spendable.set(
        r.limits.virtualCurrencyId,
        (available.get(r.limits.virtualCurrencyId) ?? 0) - r.limits.minAllowedBalance,
      );
    }
    return { rules, items: new Map(items.map((i) => [i.streakRuleId, i])), spendable, working: new Map() };
  },
  apply(event, ctx) {
    const { state, user, now } = ctx;
    if (state.rules.length === 0) return;
    const occurred = new Date(Math.min(Date.parse(event.occurredAt), now.getTime()));
    for (const live of state.rules) {
      if (ruleState(live.rule, occurred) !== "ACTIVE" || ruleState(live.rule, now) === "PENDING") continue;
      if (!ruleAppliesTo(live, user, now) || !eventCounts(live, event, user, now)) continue;
      const zone = ruleZone(live.rule, user);
      let working = state.working.get(live.ruleId);
      if (!working) {
        const loaded = state.items.get(live.ruleId);
        working = loaded
          ? { item: loaded, loadedRev: loaded.rev }
          : {
              item: newStreakItem(
                ctx.workspaceId,
                user.userId,
                { streakRuleId: live.ruleId, streakConfigurationId: live.configId, cadence: live.rule.cadence },
                zone,
                now,
              ),
              loadedRev: null,
            };
      }
      const currency = live.limits?.virtualCurrencyId;
      const spendable = currency ? (state.spendable.get(currency) ?? 0) : 0;
      const period = currentPeriod(live, occurred, zone);
      const { affordable, costs } = affordableFreezes(live, user, working.item, period, zone, spendable, now);
      const result = contribute(live.rule, working.item, occurred, zone, affordable);
      if (!result.counted) continue;
      state.writer ??= new StreakTxWriter(ctx.tx);
      const { item, debits } = writeTransition(
        live,
        { before: working.item, after: result.state, counted: result.period, catchUp: result.catchUp, costs },
        state.writer,
        ctx.stateOf(walletConsumer),
        working.loadedRev,
        zone,
        now,
      );
      state.working.set(live.ruleId, { item, loadedRev: working.loadedRev });
      const about = { streakRuleId: live.ruleId, streakConfigurationId: live.configId };
      if (result.catchUp.broke) {
        ctx.publish({ type: "streak.broken", key: `${live.ruleId}:${result.period.periodId}`, data: about });
      }
      if (result.catchUp.frozen.length > 0) {
        ctx.publish({
          type: "streak.frozen",
          key: `${live.ruleId}:${result.period.periodId}`,
          data: { ...about, frozenPeriods: result.catchUp.frozen.length },
        });
      }
      ctx.publish({
        type: "streak.extended",
        key: `${live.ruleId}:${result.period.periodId}`,
        data: { ...about, count: result.state.count, longest: result.state.longest, periodId: result.period.periodId },
      });
      for (const debit of debits) {
        if (currency) state.spendable.set(currency, (state.spendable.get(currency) ?? 0) - debit.amount);
        ctx.emit(
          {
            eventId: `${event.eventId}:vtx:${debit.virtualTransactionId}`,
            type: EVENT_TYPES.virtualTransaction,
            entityType: "VirtualTransaction",
            entityId: debit.virtualTransactionId,
            tags: [],
            occurredAt: now.toISOString(),
            data: { type: EVENT_TYPES.virtualTransaction, ...debit },
            previous: null,
          },
          { leaf: true },
        );
      }
    }
  },
};
