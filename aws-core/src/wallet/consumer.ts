import type { EventConsumer } from "../pipeline/consumer";
import { type CurrencyLimits, creditFits, WalletWrites } from "./ledger";

/**
 * One attempt's wallet writes: every credit and debit of the run (rewards, streak freezes)
 * goes through it, so each balance item gets one conditional update. `rejects` tells a
 * crediting consumer whether a credit must be recorded as REJECTED: it cannot fit at all, or
 * an earlier attempt of this event hit the currency's limit.
 */
export class EventWallet extends WalletWrites {
  constructor(private readonly limitHit: ReadonlySet<string>) {
    super();
  }

  rejects(limits: CurrencyLimits, amount: number): boolean {
    return this.limitHit.has(limits.virtualCurrencyId) || !creditFits(limits, amount);
  }
}

/**
 * The wallet as a consumer of the event pipeline: it owns the attempt's `EventWallet` and
 * writes it in `finish` (ledger entries and one conditional update per balance). When a
 * balance's limit condition fails (and no other transaction was in the way), it remembers
 * the currency, so the re-plan records that currency's credits as REJECTED
 * (`wallet.balance_limit`) instead of breaking the limit.
 */
export const walletConsumer: EventConsumer<EventWallet, Set<string>> = {
  name: "wallet",
  remember: () => new Set<string>(),
  load: async ({ memory }) => new EventWallet(memory),
  finish(ctx) {
    ctx.state.flush(ctx.tx);
    for (const change of ctx.state.balanceChanges()) {
      ctx.publish({
        type: "virtual-balance.changed",
        key: change.virtualCurrencyId,
        data: {
          virtualCurrencyId: change.virtualCurrencyId,
          amountDelta: change.amount,
          availableAmountDelta: change.availableAmount,
        },
      });
    }
    for (const entry of ctx.state.entries) {
      if (entry.state === "REJECTED" || !entry.rewardRuleId) continue;
      ctx.publish({
        type: "reward.granted",
        key: entry.virtualTransactionId,
        data: {
          virtualTransactionId: entry.virtualTransactionId,
          virtualCurrencyId: entry.virtualCurrencyId,
          amount: entry.amount,
          state: entry.state,
          rewardRuleId: entry.rewardRuleId,
        },
      });
    }
  },
  conditionsFailed({ failed, conflict }, memory) {
    if (conflict) return false;
    const hits = failed.filter((t) => t.kind === "balance" && t.ref);
    for (const hit of hits) memory.add(hit.ref!.split(":")[1]!);
    return hits.length > 0;
  },
};
