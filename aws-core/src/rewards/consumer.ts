import { badgeConsumer } from "../badges/consumer";
import { EVENT_TYPES } from "../events/types";
import type { EventConsumer } from "../pipeline/consumer";
import { walletConsumer } from "../wallet/consumer";
import type { LedgerEntry } from "../wallet/ledger";
import { derivedId, planRewards } from "./plan";

/**
 * Reward rules, as a consumer of the event pipeline: every event (virtual transactions
 * excepted) earns what the published rules grant (`plan.ts`). A currency reward is a ledger
 * entry through the attempt's wallet — COMPLETED (AUTO), PENDING (MANUAL), or REJECTED when
 * it cannot fit the currency's limits — and a derived `VIRTUAL_TRANSACTION` event; a badge
 * reward is an award of the attempt's badges.
 */
export const rewardConsumer: EventConsumer = {
  name: "rewards",
  apply(event, ctx) {
    if (event.type === EVENT_TYPES.virtualTransaction) return;
    const { workspaceId, user, now } = ctx;
    const at = now.toISOString();
    const wallet = ctx.stateOf(walletConsumer);
    const badges = ctx.stateOf(badgeConsumer);
    for (const reward of planRewards(ctx.config, event, user, now)) {
      if (reward.rewardType === "BADGE") {
        badges.award(ctx.config, {
          badgeLogId: derivedId(event.eventId, reward.rewardRuleId, reward.badgeConfigurationId),
          badgeConfigurationId: reward.badgeConfigurationId,
          userId: user.userId,
          sourceEntityType: event.entityType,
          sourceEntityId: event.entityId,
          rewardRuleId: reward.rewardRuleId,
          assignedAt: at,
        });
        continue;
      }
      const limits = {
        virtualCurrencyId: reward.currency.id,
        minAllowedBalance: reward.currency.data.minAllowedBalance ?? 0,
        maxAllowedBalance: reward.currency.data.maxAllowedBalance,
      };
      const rejected = wallet.rejects(limits, reward.amount);
      const entry: LedgerEntry = {
        virtualTransactionId: reward.transactionId,
        virtualTransactionGroupId: derivedId(event.eventId, "rewards"),
        workspaceId,
        userId: user.userId,
        virtualCurrencyId: reward.currency.id,
        direction: "CREDIT",
        amount: reward.amount,
        state: rejected ? "REJECTED" : reward.redemptionMode === "AUTO" ? "COMPLETED" : "PENDING",
        redemptionMode: reward.redemptionMode,
        initiatorType: "REWARD_RULE",
        initiator: reward.rewardRuleId,
        counterpartType: "SYSTEM",
        counterpart: "SYSTEM",
        rewardRuleId: reward.rewardRuleId,
        sourceEntityType: event.entityType,
        sourceEntityId: event.entityId,
        ...(rejected ? { rejectionCode: "wallet.balance_limit" } : {}),
        createdAt: at,
        updatedAt: at,
      };
      wallet.credit(entry, limits);
      ctx.emit(
        {
          eventId: `${event.eventId}:vtx:${entry.virtualTransactionId}`,
          type: EVENT_TYPES.virtualTransaction,
          entityType: "VirtualTransaction",
          entityId: entry.virtualTransactionId,
          tags: [],
          occurredAt: at,
          data: { type: EVENT_TYPES.virtualTransaction, ...entry },
          previous: null,
        },
        { leaf: true },
      );
    }
  },
};
