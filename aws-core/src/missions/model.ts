import { langSchema } from "@questline/contracts";
import { z } from "zod";
import { recordKey, recordRef } from "../records/kinds";
import { assertReferencesExist, type Reference, recordReference, tagReference } from "../records/references";
import type { LifecycleFields, ResourceDefinition } from "../records/resource-routes";
import { idSchema, invalid, originSchema, tagIdsSchema, withoutDefaults } from "../records/schemas";
import { getRecord } from "../records/store";
import { mergeTranslated, newTranslatedDraft, type Translation, translationsSchema } from "../records/translated";
import { assertMatch, assertRules, jsonLogicField, matchTypeSchema, nullableJsonLogic } from "../rules/schemas";
import { isValidCron, isValidZone, RECURRENCES, TIMEFRAME_TYPES, TIMEZONE_TYPES } from "../rules/timeframe";

/** What missions count: root events (activity logs, quiz and slide submits) and derived ones (learning progress, missions completed). */
export const MISSION_MATCH_ENTITIES = [
  "Activity",
  "Quiz",
  "Slide",
  "Tag",
  "LearningPath",
  "LearningGroup",
  "Mission",
] as const;

/** The entity an INSTANCE mission counts (every match entity is one the workspace stores). */
function matchedEntity(workspaceId: string, entity: (typeof MISSION_MATCH_ENTITIES)[number], id: string): Reference {
  const path = "matchEntityId";
  switch (entity) {
    case "Activity":
      return recordReference(workspaceId, path, "activity", id);
    case "Quiz":
      return recordReference(workspaceId, path, "quiz", id);
    case "Slide":
      return recordReference(workspaceId, path, "slide", id);
    case "LearningGroup":
      return recordReference(workspaceId, path, "learningGroup", id, "learning group");
    case "LearningPath":
      return recordReference(workspaceId, path, "learningPath", id, "learning path");
    case "Mission":
      return {
        path,
        key: recordKey(recordRef({ workspaceId }, "missionConfiguration", id)),
        what: "mission configuration",
      };
    case "Tag":
      return tagReference(workspaceId, path, id);
  }
}

/** What counts toward a mission, how much, and the target. */
export interface MissionConfigurationData extends LifecycleFields {
  name: string;
  origin: "CATALOG" | "AI" | "CUSTOM";
  missionType: "INDIVIDUAL" | "GROUP";
  matchType: z.infer<typeof matchTypeSchema>;
  matchEntity: (typeof MISSION_MATCH_ENTITIES)[number];
  matchEntityId?: string;
  matchCondition: unknown;
  incrementExpression: unknown;
  targetAmountExpression: unknown;
  defaultLang: string;
  langs: string[];
  translations: Translation[];
  tags: string[];
}

export const createMissionConfigurationSchema = z.strictObject({
  missionConfigurationId: idSchema.optional(),
  name: z.string().min(1).max(200),
  origin: originSchema.default("CUSTOM"),
  catalogMissionConfigurationId: idSchema.optional(),
  missionType: z.enum(["INDIVIDUAL", "GROUP"]),
  matchType: matchTypeSchema,
  matchEntity: z.enum(MISSION_MATCH_ENTITIES),
  matchEntityId: idSchema.optional(),
  matchCondition: nullableJsonLogic,
  incrementExpression: jsonLogicField,
  targetAmountExpression: jsonLogicField,
  defaultLang: langSchema,
  translations: translationsSchema,
  tags: tagIdsSchema.default([]),
});
export const updateMissionConfigurationSchema = withoutDefaults(createMissionConfigurationSchema)
  .omit({ missionConfigurationId: true, origin: true })
  .partial();

export const missionConfigurationResource: ResourceDefinition<
  z.infer<typeof createMissionConfigurationSchema>,
  z.infer<typeof updateMissionConfigurationSchema>,
  MissionConfigurationData
> = {
  kind: "missionConfiguration",
  publishing: "staged",
  idField: "missionConfigurationId",
  api: {
    tag: "MissionConfigurations",
    operation: "missionConfigurations",
    noun: "mission configuration",
    component: "MissionConfiguration",
    fields: ["tags", "translations"],
  },
  createSchema: createMissionConfigurationSchema,
  updateSchema: updateMissionConfigurationSchema,
  create: (input) => newTranslatedDraft(input, "missionConfigurationId"),
  update: mergeTranslated,
  async validate(data, { workspaceId }) {
    assertMatch("matchEntityId", data);
    assertRules({
      matchCondition: data.matchCondition,
      incrementExpression: data.incrementExpression,
      targetAmountExpression: data.targetAmountExpression,
    });
    if (data.matchType === "INSTANCE" && data.matchEntityId !== undefined) {
      await assertReferencesExist([matchedEntity(workspaceId, data.matchEntity, data.matchEntityId)]);
    }
  },
  catalog(data) {
    return {
      state: data.state,
      origin: data.origin,
      defaultLang: data.defaultLang,
      texts: data.translations.map((t) => ({ lang: t.lang, title: t.label, description: t.description ?? "" })),
      tags: data.tags,
      payload: {
        name: data.name,
        missionType: data.missionType,
        matchType: data.matchType,
        matchEntity: data.matchEntity,
      },
    };
  },
};

/** Who gets which missions, when. */
export interface MissionRuleData extends LifecycleFields {
  name: string;
  origin: "CATALOG" | "AI" | "CUSTOM";
  missionType: "INDIVIDUAL" | "GROUP";
  groupTagId?: string;
  usersMatchCondition?: unknown;
  missionConfigurationsPool?: string[];
  missionsMatchCondition?: unknown;
  timeframeType: (typeof TIMEFRAME_TYPES)[number];
  timeframeTimezoneType: (typeof TIMEZONE_TYPES)[number];
  timeframeTimezone?: string;
  timeframeStartsAt: string;
  timeframeEndsAt?: string;
  recurrence?: (typeof RECURRENCES)[number];
  scheduleCron?: string;
  assignmentMode: "LAZY" | "EVENT" | "DISABLED";
  eventMatchType?: z.infer<typeof matchTypeSchema>;
  eventMatchEntity?: (typeof MISSION_MATCH_ENTITIES)[number] | "User";
  eventMatchEntityId?: string;
  eventMatchCondition?: unknown;
  defaultLang: string;
  langs: string[];
  translations: Translation[];
}

const dateTime = z.iso.datetime({ offset: true, local: true });

export const createMissionRuleSchema = z.strictObject({
  missionRuleId: idSchema.optional(),
  name: z.string().min(1).max(200),
  origin: originSchema.default("CUSTOM"),
  catalogMissionRuleId: idSchema.optional(),
  missionType: z.enum(["INDIVIDUAL", "GROUP"]),
  groupTagId: idSchema.optional(),
  usersMatchCondition: nullableJsonLogic.optional(),
  missionConfigurationsPool: z.array(idSchema).min(1).max(50).optional(),
  missionsMatchCondition: nullableJsonLogic.optional(),
  timeframeType: z.enum(TIMEFRAME_TYPES),
  timeframeTimezoneType: z.enum(TIMEZONE_TYPES),
  timeframeTimezone: z.string().max(64).optional(),
  timeframeStartsAt: dateTime,
  timeframeEndsAt: dateTime.optional(),
  recurrence: z.enum(RECURRENCES).optional(),
  scheduleCron: z.string().max(120).optional(),
  assignmentMode: z.enum(["LAZY", "EVENT", "DISABLED"]),
  eventMatchType: matchTypeSchema.optional(),
  eventMatchEntity: z.enum([...MISSION_MATCH_ENTITIES, "User"]).optional(),
  eventMatchEntityId: idSchema.optional(),
  eventMatchCondition: nullableJsonLogic.optional(),
  defaultLang: langSchema,
  translations: translationsSchema,
});
export const updateMissionRuleSchema = withoutDefaults(createMissionRuleSchema)
  .omit({ missionRuleId: true, origin: true })
  .partial();

export const missionRuleResource: ResourceDefinition<
  z.infer<typeof createMissionRuleSchema>,
  z.infer<typeof updateMissionRuleSchema>,
  MissionRuleData
> = {
  kind: "missionRule",
  publishing: "staged",
  idField: "missionRuleId",
  api: {
    tag: "MissionRules",
    operation: "missionRules",
    noun: "mission rule",
    component: "MissionRule",
    fields: ["tags", "translations"],
  },
  // The reference requires it; a rule with a configuration pool and no condition shows null.
  requiredInView: ["missionsMatchCondition"],
  createSchema: createMissionRuleSchema,
  updateSchema: updateMissionRuleSchema,
  create: (input) => newTranslatedDraft(input, "missionRuleId"),
  update: mergeTranslated,
  async validate(data, { workspaceId, publishing }) {
    if (data.missionType === "GROUP") {
      if (!data.groupTagId)
        throw invalid("groupTagId", "required for GROUP rules (the tag whose holders share the missions)");
      if ((data.usersMatchCondition ?? null) !== null) {
        throw invalid("usersMatchCondition", "GROUP rules select users by groupTagId, not by a condition");
      }
      if (data.timeframeTimezoneType !== "FIXED") {
        throw invalid("timeframeTimezoneType", "GROUP missions are shared, so their periods need a FIXED time zone");
      }
      if (!(await getRecord(recordRef({ workspaceId }, "tag", data.groupTagId)))) {
        throw invalid("groupTagId", "no such tag in this workspace");
      }
    } else if (data.groupTagId !== undefined) {
      throw invalid("groupTagId", "only GROUP rules have a group tag");
    }
    if (!data.missionConfigurationsPool && (data.missionsMatchCondition ?? null) === null) {
      throw invalid("missionConfigurationsPool", "give a pool of configurations or a missionsMatchCondition");
    }
    assertRules({
      usersMatchCondition: data.usersMatchCondition,
      missionsMatchCondition: data.missionsMatchCondition,
      eventMatchCondition: data.eventMatchCondition,
    });
    if (data.timeframeTimezoneType === "FIXED" && !(data.timeframeTimezone && isValidZone(data.timeframeTimezone))) {
      throw invalid("timeframeTimezone", "a valid IANA time zone is required when the time zone type is FIXED");
    }
    if (data.timeframeTimezone !== undefined && !isValidZone(data.timeframeTimezone)) {
      throw invalid("timeframeTimezone", "not an IANA time zone");
    }
    if (data.timeframeType === "RANGE" && !data.timeframeEndsAt) throw invalid("timeframeEndsAt", "required for RANGE");
    if (data.timeframeType === "PERMANENT" && data.timeframeEndsAt)
      throw invalid("timeframeEndsAt", "a PERMANENT timeframe never ends");
    if (data.timeframeEndsAt && Date.parse(data.timeframeEndsAt) <= Date.parse(data.timeframeStartsAt)) {
      throw invalid("timeframeEndsAt", "must be after timeframeStartsAt");
    }
    if (data.timeframeType === "RECURRING" && !data.recurrence) throw invalid("recurrence", "required for RECURRING");
    if (data.timeframeType !== "RECURRING" && data.recurrence)
      throw invalid("recurrence", "only for RECURRING timeframes");
    if (data.recurrence === "CUSTOM" && !(data.scheduleCron && isValidCron(data.scheduleCron))) {
      throw invalid("scheduleCron", "a valid cron expression is required for CUSTOM recurrence");
    }
    if (data.recurrence !== "CUSTOM" && data.scheduleCron) throw invalid("scheduleCron", "only for CUSTOM recurrence");
    const eventFields = [data.eventMatchType, data.eventMatchEntity, data.eventMatchEntityId, data.eventMatchCondition];
    if (data.assignmentMode === "EVENT") {
      if (!data.eventMatchType) throw invalid("eventMatchType", "required when assignmentMode is EVENT");
      if (!data.eventMatchEntity) throw invalid("eventMatchEntity", "required when assignmentMode is EVENT");
      assertMatch("eventMatchEntityId", { matchType: data.eventMatchType, matchEntityId: data.eventMatchEntityId });
    } else if (eventFields.some((f) => f !== undefined && f !== null)) {
      throw invalid("eventMatchType", "event fields are only for assignmentMode EVENT");
    }
    for (const [i, id] of (data.missionConfigurationsPool ?? []).entries()) {
      const config = await getRecord<{ state: string; missionType: string }>(
        recordRef({ workspaceId }, "missionConfiguration", id),
      );
      if (!config) throw invalid(`missionConfigurationsPool.${i}`, "no such mission configuration in this workspace");
      if (config.data.missionType !== data.missionType) {
        throw invalid(`missionConfigurationsPool.${i}`, `not a ${data.missionType} mission configuration`);
      }
      if (publishing && config.data.state === "DRAFT") {
        throw invalid(`missionConfigurationsPool.${i}`, "the mission configuration must be published first");
      }
    }
  },
};
