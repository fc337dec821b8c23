import { createHash } from "node:crypto";
import type { AppliedEvent, RuleUser } from "../events/types";
import type { LiveConfig, LiveEntry } from "../records/live";
import { evaluateAmount, evaluateCondition } from "../rules/jsonlogic";
import { matchesEntity } from "../rules/matching";
import type { VirtualCurrencyData } from "../wallet/currency";
import type { RewardRuleData } from "./model";

export type PlannedReward =
  | {
      rewardType: "VIRTUAL_CURRENCY";
      rewardRuleId: string;
      currency: LiveEntry<VirtualCurrencyData>;
      amount: number;
      redemptionMode: "AUTO" | "MANUAL";
      /** Deterministic ledger id (event, rule, reward index). */
      transactionId: string;
    }
  | { rewardType: "BADGE"; rewardRuleId: string; badgeConfigurationId: string };

export function derivedId(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 21);
}

/**
 * The rewards one event earns (pure): published rules whose matching and condition (over
 * `{ event, previousEvent, user }`) accept it; ALWAYS rules apply, FALLBACK rules only when
 * no ALWAYS rule matched. Currency amounts of 0 or not-a-number are skipped; an unpublished
 * currency is skipped; badges are checked at award time (only while PUBLISHED).
 */
export function planRewards(config: LiveConfig, event: AppliedEvent, user: RuleUser, now: Date): PlannedReward[] {
  const data = { event: event.data, previousEvent: event.previous ?? null, user };
  const matched = { ALWAYS: [] as LiveEntry<RewardRuleData>[], FALLBACK: [] as LiveEntry<RewardRuleData>[] };
  const rules = [...config.rewardRule.values()] as LiveEntry<RewardRuleData>[];
  rules.sort((a, b) => a.id.localeCompare(b.id));
  for (const rule of rules) {
    const r = rule.data;
    if (r.state !== "PUBLISHED" || r.applicationMode === "DISABLED") continue;
    if (!matchesEntity({ matchType: r.ruleType, matchEntity: r.matchEntity, matchEntityId: r.matchEntityId }, event))
      continue;
    if (!evaluateCondition(r.matchCondition, data, now)) continue;
    matched[r.applicationMode].push(rule);
  }
  const applying = matched.ALWAYS.length > 0 ? matched.ALWAYS : matched.FALLBACK;
  const planned: PlannedReward[] = [];
  for (const rule of applying) {
    for (const [index, reward] of rule.data.rewards.entries()) {
      if (reward.rewardType === "BADGE") {
        planned.push({ rewardType: "BADGE", rewardRuleId: rule.id, badgeConfigurationId: reward.badgeConfigurationId });
        continue;
      }
      const currency = config.virtualCurrency.get(reward.virtualCurrencyId) as
        | LiveEntry<VirtualCurrencyData>
        | undefined;
      if (currency?.data.state !== "PUBLISHED") continue;
      const amount = evaluateAmount(reward.expression, data, now);
      if (amount === null || amount < 0) continue;
      planned.push({
        rewardType: "VIRTUAL_CURRENCY",
        rewardRuleId: rule.id,
        currency,
        amount,
        redemptionMode: reward.redemptionMode,
        transactionId: derivedId(event.eventId, rule.id, String(index)),
      });
    }
  }
  return planned;
}
