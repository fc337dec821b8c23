import { langSchema } from "@questline/contracts";
import { z } from "zod";
import { recordRef } from "../records/kinds";
import type { LifecycleFields, ResourceDefinition } from "../records/resource-routes";
import { idSchema, invalid, originSchema, withoutDefaults } from "../records/schemas";
import { getRecord } from "../records/store";
import { mergeTranslated, newTranslatedDraft, type Translation, translationsSchema } from "../records/translated";
import { assertMatch, assertRules, jsonLogicField, matchTypeSchema, nullableJsonLogic } from "../rules/schemas";

export const REWARD_MATCH_ENTITIES = [
  "Mission",
  "Activity",
  "Quiz",
  "Tag",
  "LearningPath",
  "LearningGroup",
  "Slide",
] as const;

const currencyRewardSchema = z.strictObject({
  rewardType: z.literal("VIRTUAL_CURRENCY").default("VIRTUAL_CURRENCY"),
  virtualCurrencyId: idSchema,
  redemptionMode: z.enum(["AUTO", "MANUAL"]),
  expression: jsonLogicField,
});
const badgeRewardSchema = z.strictObject({ rewardType: z.literal("BADGE"), badgeConfigurationId: idSchema });
export const rewardSchema = z.union([badgeRewardSchema, currencyRewardSchema]);
export type Reward = z.infer<typeof rewardSchema>;

/** A reward rule: matches events, applies ALWAYS or as FALLBACK, gives 1–10 rewards. */
export interface RewardRuleData extends LifecycleFields {
  name: string;
  origin: "CATALOG" | "AI" | "CUSTOM";
  ruleType: z.infer<typeof matchTypeSchema>;
  matchEntity: (typeof REWARD_MATCH_ENTITIES)[number];
  matchEntityId?: string;
  matchCondition: unknown;
  applicationMode: "ALWAYS" | "FALLBACK" | "DISABLED";
  rewards: Reward[];
  defaultLang: string;
  langs: string[];
  translations: Translation[];
}

export const createRewardRuleSchema = z.strictObject({
  rewardRuleId: idSchema.optional(),
  name: z.string().min(1).max(200),
  origin: originSchema.default("CUSTOM"),
  catalogRewardRuleId: idSchema.optional(),
  ruleType: matchTypeSchema,
  matchEntity: z.enum(REWARD_MATCH_ENTITIES),
  matchEntityId: idSchema.optional(),
  matchCondition: nullableJsonLogic,
  applicationMode: z.enum(["ALWAYS", "FALLBACK", "DISABLED"]),
  rewards: z.array(rewardSchema).min(1).max(10),
  defaultLang: langSchema,
  translations: translationsSchema,
});
export const updateRewardRuleSchema = withoutDefaults(createRewardRuleSchema)
  .omit({ rewardRuleId: true, origin: true })
  .partial();

export const rewardRuleResource: ResourceDefinition<
  z.infer<typeof createRewardRuleSchema>,
  z.infer<typeof updateRewardRuleSchema>,
  RewardRuleData
> = {
  kind: "rewardRule",
  publishing: "staged",
  idField: "rewardRuleId",
  api: {
    tag: "RewardRules",
    operation: "rewardRules",
    noun: "reward rule",
    component: "RewardRule",
    fields: ["translations"],
  },
  createSchema: createRewardRuleSchema,
  updateSchema: updateRewardRuleSchema,
  create: (input) => newTranslatedDraft(input, "rewardRuleId"),
  update: mergeTranslated,
  async validate(data, { workspaceId, publishing }) {
    assertMatch("matchEntityId", { matchType: data.ruleType, matchEntityId: data.matchEntityId });
    assertRules({ matchCondition: data.matchCondition });
    for (const [i, reward] of data.rewards.entries()) {
      if (reward.rewardType === "VIRTUAL_CURRENCY") {
        assertRules({ [`rewards.${i}.expression`]: reward.expression });
        const currency = await getRecord<{ state: string }>(
          recordRef({ workspaceId }, "virtualCurrency", reward.virtualCurrencyId),
        );
        if (!currency) throw invalid(`rewards.${i}.virtualCurrencyId`, "no such virtual currency in this workspace");
        if (publishing && currency.data.state === "DRAFT") {
          throw invalid(`rewards.${i}.virtualCurrencyId`, "the virtual currency must be published first");
        }
      } else {
        const badge = await getRecord(recordRef({ workspaceId }, "badgeConfiguration", reward.badgeConfigurationId));
        if (!badge) throw invalid(`rewards.${i}.badgeConfigurationId`, "no such badge configuration in this workspace");
      }
    }
  },
};
