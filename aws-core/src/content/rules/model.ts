import { entityIdSchema, langSchema } from "@questline/contracts";
import { z } from "zod";
import { recordRef } from "../../records/kinds";
import { type Reference, recordReference } from "../../records/references";
import type { ResourceDefinition } from "../../records/resource-routes";
import { definedEntries, invalid, originSchema, withoutDefaults } from "../../records/schemas";
import { getCatalogRecord } from "../../records/store";
import { assertLanguages } from "../../records/translated";
import { assertJsonLogic } from "../../rules/jsonlogic";
import { nullableJsonLogic } from "../../rules/schemas";
import { isValidZone } from "../../rules/timeframe";

/**
 * A learning path rule (reference: dashboard `learningPathRules/*`):
 * - `ASSIGN`: users matching `usersMatchCondition` (JsonLogic over `{ user }`, null = everyone)
 *   get an assignment of every path in `learningPathsPool`, LOCKED or UNLOCKED
 *   (`initialVisibility`, or `initialVisibilityCondition` over `{ user }`: true → UNLOCKED).
 *   Assignment is LAZY: when the user lists their assignments.
 * - `UNLOCK`: when a learning path progress event (`LearningPathLog`) matches
 *   (`eventMatchType` INSTANCE/ENTITY/TAG + `eventMatchCondition` over `{ event, user }`,
 *   null = the path was completed), the user's LOCKED assignment of `unlockLearningPathId`
 *   becomes UNLOCKED.
 * Drafts are edited freely; `publish` copies the draft to the live snapshot the engine uses.
 */
export const RULE_TYPES = ["ASSIGN", "UNLOCK"] as const;

export const ruleTranslationSchema = z.strictObject({
  lang: langSchema,
  label: z.string().max(500).optional(),
  description: z.string().max(5_000).optional(),
});

const ruleFields = {
  origin: originSchema.default("CUSTOM"),
  ruleType: z.enum(RULE_TYPES),
  name: z.string().min(1).max(200),
  usersMatchCondition: nullableJsonLogic.optional(),
  learningPathsPool: z.array(entityIdSchema).max(100).optional(),
  initialVisibility: z.enum(["LOCKED", "UNLOCKED"]).optional(),
  initialVisibilityCondition: nullableJsonLogic.optional(),
  unlockLearningPathId: entityIdSchema.optional(),
  groupId: z.string().min(1).max(64).optional(),
  timeframeType: z.enum(["PERMANENT", "RANGE"]),
  timeframeTimezoneType: z.enum(["FIXED", "USER"]).default("FIXED"),
  timeframeTimezone: z.string().max(64).optional(),
  timeframeStartsAt: z.iso.datetime({ offset: true }),
  timeframeEndsAt: z.iso.datetime({ offset: true }).optional(),
  assignmentMode: z.enum(["LAZY", "DISABLED"]).default("LAZY"),
  eventMatchType: z.enum(["INSTANCE", "ENTITY", "TAG"]).optional(),
  eventMatchEntity: z.enum(["LearningPathLog"]).optional(),
  eventMatchEntityId: entityIdSchema.optional(),
  eventMatchCondition: nullableJsonLogic.optional(),
  defaultLang: langSchema,
  translations: z.array(ruleTranslationSchema).min(1).max(10),
};

export const createRuleSchema = z.strictObject({ learningPathRuleId: entityIdSchema.optional(), ...ruleFields });
/** Without the create defaults, so a PUT never resets what it does not mention (e.g. `assignmentMode`). */
export const updateRuleSchema = withoutDefaults(z.strictObject(ruleFields))
  .omit({ ruleType: true, defaultLang: true, origin: true })
  .partial();
export type CreateRuleInput = z.infer<typeof createRuleSchema>;
export type UpdateRuleInput = z.infer<typeof updateRuleSchema>;

export interface LearningPathRuleData {
  /** Absent on rules stored before it was recorded (shown as CUSTOM). */
  origin?: "CATALOG" | "AI" | "CUSTOM";
  ruleType: (typeof RULE_TYPES)[number];
  name: string;
  usersMatchCondition: unknown;
  learningPathsPool: string[];
  initialVisibility: "LOCKED" | "UNLOCKED";
  initialVisibilityCondition: unknown;
  unlockLearningPathId?: string;
  groupId?: string;
  timeframeType: "PERMANENT" | "RANGE";
  timeframeTimezoneType: "FIXED" | "USER";
  timeframeTimezone?: string;
  timeframeStartsAt: string;
  timeframeEndsAt?: string;
  assignmentMode: "LAZY" | "DISABLED";
  eventMatchType?: "INSTANCE" | "ENTITY" | "TAG";
  eventMatchEntity?: "LearningPathLog";
  eventMatchEntityId?: string;
  eventMatchCondition: unknown;
  defaultLang: string;
  langs: string[];
  translations: z.infer<typeof ruleTranslationSchema>[];
  state: "DRAFT" | "PUBLISHED";
  hasUnpublishedChanges?: boolean;
  publishedAt?: string;
}

export function newRuleData(input: CreateRuleInput): LearningPathRuleData {
  const { learningPathRuleId: _id, ...rest } = input;
  const data: LearningPathRuleData = {
    ...definedEntries(rest),
    ruleType: input.ruleType,
    name: input.name,
    usersMatchCondition: input.usersMatchCondition ?? null,
    learningPathsPool: input.learningPathsPool ?? [],
    initialVisibility: input.initialVisibility ?? "UNLOCKED",
    initialVisibilityCondition: input.initialVisibilityCondition ?? null,
    timeframeType: input.timeframeType,
    timeframeTimezoneType: input.timeframeTimezoneType,
    timeframeStartsAt: input.timeframeStartsAt,
    assignmentMode: input.assignmentMode,
    eventMatchCondition: input.eventMatchCondition ?? null,
    defaultLang: input.defaultLang,
    langs: input.translations.map((t) => t.lang),
    translations: input.translations,
    state: "DRAFT",
  };
  if (data.ruleType === "UNLOCK") data.eventMatchEntity = input.eventMatchEntity ?? "LearningPathLog";
  validateRule(data);
  return data;
}

export function applyRuleUpdate(current: LearningPathRuleData, input: UpdateRuleInput): LearningPathRuleData {
  const next: LearningPathRuleData = { ...current, ...definedEntries(input) };
  if (input.translations) {
    assertLanguages(current.defaultLang, input.translations);
    next.langs = input.translations.map((t) => t.lang);
  }
  validateRule(next);
  return next;
}

/** Field combinations (what the schema alone cannot say). */
export function validateRule(data: LearningPathRuleData): void {
  assertLanguages(data.defaultLang, data.translations);
  for (const field of ["usersMatchCondition", "initialVisibilityCondition", "eventMatchCondition"] as const) {
    if (data[field] !== null && data[field] !== undefined) assertJsonLogic(data[field], field);
  }
  if (data.timeframeType === "RANGE") {
    if (!data.timeframeEndsAt) throw invalid("timeframeEndsAt", "is required when timeframeType is RANGE");
    if (Date.parse(data.timeframeEndsAt) <= Date.parse(data.timeframeStartsAt)) {
      throw invalid("timeframeEndsAt", "must be after timeframeStartsAt");
    }
  }
  if (data.timeframeTimezoneType === "FIXED" && data.timeframeTimezone && !isValidZone(data.timeframeTimezone)) {
    throw invalid("timeframeTimezone", "is not an IANA time zone");
  }
  if (data.ruleType === "ASSIGN") {
    if (data.learningPathsPool.length === 0)
      throw invalid("learningPathsPool", "an ASSIGN rule needs at least one path");
    if (data.unlockLearningPathId) throw invalid("unlockLearningPathId", "only UNLOCK rules unlock a path");
  } else {
    if (!data.unlockLearningPathId) throw invalid("unlockLearningPathId", "is required for an UNLOCK rule");
    if (!data.eventMatchType) throw invalid("eventMatchType", "is required for an UNLOCK rule");
    const hasId = data.eventMatchEntityId !== undefined;
    if (data.eventMatchType === "ENTITY" && hasId) throw invalid("eventMatchEntityId", "must be absent for ENTITY");
    if (data.eventMatchType !== "ENTITY" && !hasId) {
      throw invalid("eventMatchEntityId", `is required when eventMatchType is ${data.eventMatchType}`);
    }
  }
}

/** Whether the rule's timeframe contains `now`. */
export function ruleActive(data: LearningPathRuleData, now: Date): boolean {
  const t = now.getTime();
  if (t < Date.parse(data.timeframeStartsAt)) return false;
  return data.timeframeType !== "RANGE" || !data.timeframeEndsAt || t < Date.parse(data.timeframeEndsAt);
}

/** Publishing requires every path the rule names to be published. */
async function assertPathsPublished(workspaceId: string, data: LearningPathRuleData): Promise<void> {
  const ids = data.ruleType === "ASSIGN" ? data.learningPathsPool : [data.unlockLearningPathId ?? ""];
  const field = data.ruleType === "ASSIGN" ? "learningPathsPool" : "unlockLearningPathId";
  for (const id of ids) {
    const path = await getCatalogRecord(recordRef({ workspaceId }, "learningPath", id));
    if (path?.catalog.state !== "PUBLISHED") throw invalid(field, `learning path ${id} is not a published path`);
  }
}

/**
 * On save, the paths a rule names must exist in the workspace (draft or published; publishing
 * then requires them published). Only the fields the body sets are checked.
 */
function pathsNamed(
  workspaceId: string,
  input: { learningPathsPool?: string[] | undefined; unlockLearningPathId?: string | undefined },
): Reference[] {
  const path = (field: string, id: string) => recordReference(workspaceId, field, "learningPath", id, "learning path");
  return [
    ...(input.learningPathsPool ?? []).map((id, i) => path(`learningPathsPool.${i}`, id)),
    ...(input.unlockLearningPathId ? [path("unlockLearningPathId", input.unlockLearningPathId)] : []),
  ];
}

/**
 * `/dashboard/learning-path-rules` (reference: dashboard `learningPathRules/*`): a staged
 * configuration — `publish` makes the draft the live snapshot the engine runs.
 */
export const learningPathRuleResource: ResourceDefinition<CreateRuleInput, UpdateRuleInput, LearningPathRuleData> = {
  kind: "learningPathRule",
  publishing: "staged",
  idField: "learningPathRuleId",
  api: {
    tag: "LearningPathRules",
    operation: "learningPathRules",
    noun: "learning path rule",
    component: "LearningPathRule",
    fields: ["translations"],
  },
  createSchema: createRuleSchema,
  updateSchema: updateRuleSchema,
  create: (input) => newRuleData(input),
  update: applyRuleUpdate,
  view: (record) => ({ origin: "CUSTOM", ...record.data }),
  references: (input, workspaceId) => pathsNamed(workspaceId, input),
  async validate(data, { workspaceId, publishing }) {
    if (publishing) await assertPathsPublished(workspaceId, data);
  },
};
