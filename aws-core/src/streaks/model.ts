import { langSchema } from "@questline/contracts";
import { z } from "zod";
import { recordRef } from "../records/kinds";
import type { LifecycleFields, ResourceDefinition } from "../records/resource-routes";
import { definedEntries, idSchema, invalid, originSchema } from "../records/schemas";
import { getRecord } from "../records/store";
import {
  assertLanguages,
  mergeTranslated,
  newTranslatedDraft,
  type Translation,
  translationsSchema,
} from "../records/translated";
import { assertMatch, assertRules, jsonLogicField, matchTypeSchema, nullableJsonLogic } from "../rules/schemas";
import { isValidZone, TIMEZONE_TYPES } from "../rules/timeframe";
import type { Cadence } from "./periods";

/** Entity types a streak can count (the reference's list, plus mission completions). */
export const STREAK_MATCH_ENTITIES = ["Activity", "Mission", "Quiz", "Tag"] as const;

/** What counts toward a streak (reference: dashboard `streak-configurations`). */
export interface StreakConfigurationData extends LifecycleFields {
  name: string;
  description?: string;
  origin: "CATALOG" | "AI" | "CUSTOM";
  matchType: z.infer<typeof matchTypeSchema>;
  matchEntity: (typeof STREAK_MATCH_ENTITIES)[number];
  matchEntityId?: string;
  /** JsonLogic over `{ user, event }`; null matches everything. */
  matchCondition: unknown;
  icon?: string;
  defaultLang: string;
  langs: string[];
  translations: Translation[];
}

export const createStreakConfigurationSchema = z.strictObject({
  streakConfigurationId: idSchema.optional(),
  name: z.string().min(1).max(200),
  description: z.string().max(5_000).optional(),
  origin: originSchema.default("CUSTOM"),
  streakConfigurationCatalogId: idSchema.optional(),
  matchType: matchTypeSchema,
  matchEntity: z.enum(STREAK_MATCH_ENTITIES),
  matchEntityId: idSchema.optional(),
  matchCondition: nullableJsonLogic,
  icon: z.string().max(2_048).optional(),
  defaultLang: langSchema,
  translations: translationsSchema,
});
export const updateStreakConfigurationSchema = createStreakConfigurationSchema
  .omit({ streakConfigurationId: true, origin: true })
  .partial();

export const streakConfigurationResource: ResourceDefinition<
  z.infer<typeof createStreakConfigurationSchema>,
  z.infer<typeof updateStreakConfigurationSchema>,
  StreakConfigurationData
> = {
  kind: "streakConfiguration",
  publishing: "staged",
  idField: "streakConfigurationId",
  api: {
    tag: "StreakConfigurations",
    operation: "streakConfigurations",
    noun: "streak configuration",
    component: "StreakConfiguration",
    fields: ["tags", "translations"],
  },
  createSchema: createStreakConfigurationSchema,
  updateSchema: updateStreakConfigurationSchema,
  create: (input) => newTranslatedDraft(input, "streakConfigurationId"),
  update: mergeTranslated,
  validate(data) {
    assertMatch("matchEntityId", data);
    assertRules({ matchCondition: data.matchCondition });
  },
};

/** Who has a streak on a configuration, its cadence, goals, perfect periods and freezes. */
export interface StreakRuleData extends LifecycleFields {
  name: string;
  description?: string;
  origin: "CATALOG" | "AI" | "CUSTOM";
  streakConfigurationId: string;
  /** JsonLogic over `{ user }`; null: every user. */
  usersMatchCondition?: unknown;
  timeframeType: "PERMANENT" | "RANGE";
  timeframeTimezoneType: (typeof TIMEZONE_TYPES)[number];
  timeframeTimezone?: string;
  timeframeStartsAt: string;
  timeframeEndsAt?: string;
  cadence: Cadence;
  metric: "DAYS" | "WEEKS";
  perfectWeekEnabled: boolean;
  perfectMonthEnabled: boolean;
  perfectYearEnabled: boolean;
  freezeEnabled: boolean;
  freezeVirtualCurrencyId?: string;
  /** JsonLogic over `{ user, streak }`: the price of one freeze (absent → 1). */
  freezeCostExpression?: unknown;
  goalTargets: number[];
  defaultLang: string;
  langs: string[];
  translations: RuleTranslation[];
}

const ruleTranslationSchema = z.strictObject({
  lang: langSchema,
  name: z.string().min(1).max(500),
  description: z.string().max(5_000).optional(),
});
type RuleTranslation = z.infer<typeof ruleTranslationSchema>;

const dateTime = z.iso.datetime({ offset: true, local: true });

const streakRuleFields = z.strictObject({
  streakRuleId: idSchema.optional(),
  name: z.string().min(1).max(200),
  description: z.string().max(5_000).optional(),
  origin: originSchema.default("CUSTOM"),
  streakRuleCatalogId: idSchema.optional(),
  streakConfigurationId: idSchema,
  usersMatchCondition: nullableJsonLogic.optional(),
  timeframeType: z.enum(["PERMANENT", "RANGE"]),
  timeframeTimezoneType: z.enum(TIMEZONE_TYPES),
  timeframeTimezone: z.string().max(64).optional(),
  timeframeStartsAt: dateTime,
  timeframeEndsAt: dateTime.optional(),
  cadence: z.enum(["DAY", "WEEK"]),
  metric: z.enum(["DAYS", "WEEKS"]),
  perfectWeekEnabled: z.boolean(),
  perfectMonthEnabled: z.boolean(),
  perfectYearEnabled: z.boolean(),
  freezeEnabled: z.boolean(),
  freezeVirtualCurrencyId: idSchema.optional(),
  freezeCostExpression: jsonLogicField.nullable().optional(),
  goalTargets: z.array(z.number().int().positive().max(100_000)).max(20),
  defaultLang: langSchema,
  translations: z.array(ruleTranslationSchema).min(1).max(10),
});
export const createStreakRuleSchema = streakRuleFields.extend({
  perfectWeekEnabled: z.boolean().default(false),
  perfectMonthEnabled: z.boolean().default(false),
  perfectYearEnabled: z.boolean().default(false),
  freezeEnabled: z.boolean().default(true),
  goalTargets: streakRuleFields.shape.goalTargets.default([]),
});
/** Built from the fields without defaults, so a PUT never resets what it does not mention. */
export const updateStreakRuleSchema = streakRuleFields.omit({ streakRuleId: true, origin: true }).partial();

function assertRuleLanguages(defaultLang: string, translations: readonly RuleTranslation[]): string[] {
  return assertLanguages(
    defaultLang,
    translations.map((t) => ({ lang: t.lang, label: t.name })),
  );
}

export const streakRuleResource: ResourceDefinition<
  z.infer<typeof createStreakRuleSchema>,
  z.infer<typeof updateStreakRuleSchema>,
  StreakRuleData
> = {
  kind: "streakRule",
  publishing: "staged",
  idField: "streakRuleId",
  api: {
    tag: "StreakRules",
    operation: "streakRules",
    noun: "streak rule",
    component: "StreakRule",
    fields: ["tags", "translations"],
  },
  createSchema: createStreakRuleSchema,
  updateSchema: updateStreakRuleSchema,
  create(input) {
    const { streakRuleId: _id, ...rest } = input;
    return { ...rest, langs: assertRuleLanguages(input.defaultLang, input.translations), state: "DRAFT" };
  },
  update(current, input) {
    const next = { ...current, ...definedEntries(input) };
    return { ...next, langs: assertRuleLanguages(next.defaultLang, next.translations) };
  },
  async validate(data, { workspaceId, publishing }) {
    assertRules({ usersMatchCondition: data.usersMatchCondition, freezeCostExpression: data.freezeCostExpression });
    if ((data.cadence === "DAY") !== (data.metric === "DAYS")) {
      throw invalid("metric", "must be DAYS for the DAY cadence and WEEKS for the WEEK cadence");
    }
    if (data.timeframeTimezoneType === "FIXED" && !(data.timeframeTimezone && isValidZone(data.timeframeTimezone))) {
      throw invalid("timeframeTimezone", "a valid IANA time zone is required when the time zone type is FIXED");
    }
    if (data.timeframeTimezone !== undefined && !isValidZone(data.timeframeTimezone)) {
      throw invalid("timeframeTimezone", "not an IANA time zone");
    }
    if (data.timeframeType === "RANGE" && !data.timeframeEndsAt) throw invalid("timeframeEndsAt", "required for RANGE");
    if (data.timeframeType === "PERMANENT" && data.timeframeEndsAt) {
      throw invalid("timeframeEndsAt", "a PERMANENT timeframe never ends");
    }
    if (data.timeframeEndsAt && Date.parse(data.timeframeEndsAt) <= Date.parse(data.timeframeStartsAt)) {
      throw invalid("timeframeEndsAt", "must be after timeframeStartsAt");
    }
    if (new Set(data.goalTargets).size !== data.goalTargets.length) {
      throw invalid("goalTargets", "each target may appear once");
    }
    if (data.goalTargets.some((t, i) => i > 0 && t <= data.goalTargets[i - 1]!)) {
      throw invalid("goalTargets", "targets must be in increasing order");
    }
    if (data.freezeEnabled && !data.freezeVirtualCurrencyId) {
      throw invalid("freezeVirtualCurrencyId", "required when freezeEnabled is true");
    }
    if (!data.freezeEnabled && (data.freezeCostExpression ?? null) !== null) {
      throw invalid("freezeCostExpression", "only when freezeEnabled is true");
    }
    if (data.perfectWeekEnabled && data.cadence === "WEEK") {
      throw invalid("perfectWeekEnabled", "a perfect week needs the DAY cadence");
    }
    const config = await getRecord<StreakConfigurationData>(
      recordRef({ workspaceId }, "streakConfiguration", data.streakConfigurationId),
    );
    if (!config) throw invalid("streakConfigurationId", "no such streak configuration in this workspace");
    if (publishing && config.data.state === "DRAFT") {
      throw invalid("streakConfigurationId", "the streak configuration must be published first");
    }
    if (data.freezeVirtualCurrencyId) {
      const currency = await getRecord<{ state: string }>(
        recordRef({ workspaceId }, "virtualCurrency", data.freezeVirtualCurrencyId),
      );
      if (!currency) throw invalid("freezeVirtualCurrencyId", "no such virtual currency in this workspace");
      if (publishing && currency.data.state === "DRAFT") {
        throw invalid("freezeVirtualCurrencyId", "the virtual currency must be published first");
      }
    }
  },
};
