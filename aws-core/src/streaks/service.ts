import { queryPages } from "../db/query";
import { logger } from "../logging";
import { backoff, commitTransaction, MAX_ATTEMPTS } from "../pipeline/commit";
import { TransactionBuilder } from "../pipeline/transaction";
import { loadLiveConfig } from "../records/live";
import { loadRuleUser } from "../users/rule-user";
import { WalletWrites } from "../wallet/ledger";
import { evaluateAt } from "./evaluate";
import {
  affordableFreezes,
  currentPeriod,
  type LiveStreakRule,
  liveStreakRules,
  ruleAppliesTo,
  ruleState,
  ruleZone,
  writeTransition,
} from "./plan";
import { dueIndexPk, loadAvailable, loadStreakItems, newStreakItem, type StreakItem, StreakTxWriter } from "./store";

export interface UserStreak {
  item: StreakItem;
  /** The live rule, or undefined when it is no longer published. */
  live?: LiveStreakRule;
  zone: string;
}

/**
 * The user's streaks, settled up to `now`: active rules the user matches get an empty counter
 * (idempotent: the id is derived from rule and user), and counters whose missed periods are
 * final are settled exactly like the event consumer does — frozen with a `STREAK_RULE` debit
 * per period when the user can pay for all of them, otherwise broken. The writes are one
 * transaction conditioned on each counter's `rev`; the debits have deterministic ids, so
 * concurrent or repeated reads charge a freeze once. The current period is never settled
 * (it is still open), so a read never writes anything an event could still change.
 */
export async function listUserStreaks(workspaceId: string, userId: string, now = new Date()): Promise<UserStreak[]> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const [live, user, items] = await Promise.all([
      loadLiveConfig(workspaceId),
      loadRuleUser(workspaceId, userId),
      loadStreakItems(workspaceId, userId),
    ]);
    const rules = liveStreakRules(live);
    const byRule = new Map(items.map((i) => [i.streakRuleId, i]));
    const currencies = rules.flatMap((r) =>
      r.rule.freezeEnabled && r.limits && byRule.get(r.ruleId)?.count ? [r.limits.virtualCurrencyId] : [],
    );
    const available = currencies.length ? await loadAvailable(workspaceId, userId, currencies) : new Map();
    const spendable = new Map<string, number>();
    for (const r of rules) {
      if (r.limits) {
        spendable.set(
          r.limits.virtualCurrencyId,
          (available.get(r.limits.virtualCurrencyId) ?? 0) - r.limits.minAllowedBalance,
        );
      }
    }
    const tx = new TransactionBuilder();
    const writer = new StreakTxWriter(tx);
    const wallet = new WalletWrites();
    const out: UserStreak[] = [];
    for (const r of rules) {
      const zone = ruleZone(r.rule, user);
      const existing = byRule.get(r.ruleId);
      byRule.delete(r.ruleId);
      if (!existing) {
        if (ruleState(r.rule, now) !== "ACTIVE" || !ruleAppliesTo(r, user, now)) continue;
        const item = newStreakItem(
          workspaceId,
          userId,
          { streakRuleId: r.ruleId, streakConfigurationId: r.configId, cadence: r.rule.cadence },
          zone,
          now,
        );
        writer.putCounter(item, null);
        out.push({ item, live: r, zone });
        continue;
      }
      if (ruleState(r.rule, now) !== "ACTIVE" || existing.count === 0) {
        out.push({ item: existing, live: r, zone });
        continue;
      }
      const currency = r.limits?.virtualCurrencyId;
      const budget = currency ? (spendable.get(currency) ?? 0) : 0;
      const current = currentPeriod(r, now, zone);
      const { affordable, costs } = affordableFreezes(r, user, existing, current, zone, budget, now);
      const settled = evaluateAt(r.rule, existing, now, zone, affordable);
      if (!settled.broke && settled.frozen.length === 0) {
        out.push({ item: existing, live: r, zone });
        continue;
      }
      const { item, debits } = writeTransition(
        r,
        { before: existing, after: settled.state, counted: null, catchUp: settled, costs },
        writer,
        wallet,
        existing.rev,
        zone,
        now,
      );
      if (currency) spendable.set(currency, budget - debits.reduce((s, d) => s + d.amount, 0));
      out.push({ item, live: r, zone });
    }
    for (const orphan of byRule.values()) out.push({ item: orphan, zone: orphan.timezone });
    wallet.flush(tx);
    const result = await commitTransaction(tx);
    if (result.ok)
      return out.sort(
        (a, b) => a.item.createdAt.localeCompare(b.item.createdAt) || a.item.streakId.localeCompare(b.item.streakId),
      );
    await backoff(attempt);
  }
  throw new Error(`streaks of user ${userId} could not be settled`);
}

/**
 * Settles every streak of a workspace whose next period has been missed by `now` (the gsi2
 * due index), for the scheduled handler. Lazy settlement on reads and events gives the same
 * result, so running this is optional; it makes BROKEN visible without a read and charges
 * freezes at the period end. Returns the number of users settled.
 */
export async function settleStreaks(workspaceId: string, now = new Date()): Promise<number> {
  const users = new Set<string>();
  for await (const items of queryPages({
    IndexName: "gsi2",
    KeyConditionExpression: "gsi2pk = :pk AND gsi2sk < :now",
    ExpressionAttributeValues: { ":pk": dueIndexPk(workspaceId), ":now": now.toISOString() },
  })) {
    for (const item of items) users.add(item.userId as string);
  }
  for (const userId of users) {
    try {
      await listUserStreaks(workspaceId, userId, now);
    } catch (err) {
      logger.error("streak settlement failed", {
        workspaceId,
        userId,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return users.size;
}
