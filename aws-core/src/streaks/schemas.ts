import { z } from "@hono/zod-openapi";
import { langSchema } from "@questline/contracts";
import { fieldsQuery, pageQuery } from "../http/openapi";
import { STREAK_MATCH_ENTITIES } from "./model";

/**
 * Response schemas of `/app/streaks` (reference `GetStreakResponse` / `ListStreaksResponse`,
 * periodType ITERATION, plus our fields). The handlers build the bodies in `routes.ts`.
 */
const count = z.number().int().min(0);
const periodSchema = z.object({
  periodId: z.string().openapi({ example: "2026-12-07" }),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
});

/** The live streak configuration the counter counts on (its published version). */
const liveStreakConfigurationSchema = z
  .object({
    streakConfigurationId: z.string(),
    name: z.string(),
    description: z.string().optional(),
    origin: z.enum(["CATALOG", "AI", "CUSTOM"]),
    matchType: z.enum(["INSTANCE", "ENTITY", "TAG"]),
    matchEntity: z.enum(STREAK_MATCH_ENTITIES),
    matchEntityId: z.string().optional(),
    matchCondition: z
      .union([z.record(z.string(), z.unknown()), z.boolean(), z.number()])
      .nullable()
      .optional()
      .openapi({ description: "JsonLogic over `{ user, event }`; absent or null matches every event" }),
    icon: z.string().optional(),
    defaultLang: langSchema,
    langs: z.array(z.string()),
    createdAt: z.iso.datetime().optional(),
    updatedAt: z.iso.datetime().optional().openapi({ description: "The live version's" }),
  })
  .loose()
  .openapi("LiveStreakConfiguration");

export const streakSchema = z
  .object({
    streakId: z.string().openapi({ example: "kV0d5x2mS1pQw8rTz3yLa" }),
    userId: z.string(),
    streakRuleId: z.string(),
    streakConfigurationId: z.string(),
    periodId: z.string().openapi({ description: "The current period (day or ISO week) in the streak's time zone" }),
    status: z.enum(["ACTIVE", "COMPLETED", "BROKEN", "ENDED"]),
    kind: z.enum(["REGULAR", "FREEZE", "ANY"]),
    cadence: z.enum(["DAY", "WEEK"]),
    metric: z.enum(["DAYS", "WEEKS"]),
    count: count.openapi({ description: "Consecutive periods so far", example: 3 }),
    longestCount: count,
    freezesUsed: count,
    periodType: z.enum(["ITERATION", "GOAL"]).openapi({
      description:
        "ITERATION: the counter (`count` = consecutive periods of the current run); GOAL (list only): the goal it works toward (`count` = progress toward `target`)",
    }),
    iterationId: z.number().int().positive().optional(),
    goalId: z.number().int().positive().optional(),
    target: z.number().int().positive().optional(),
    goal: z
      .object({
        iteration: z.number().int().positive(),
        progress: count,
        target: z.number().int().positive(),
        goalIndex: z.number().int().positive(),
        cycleCompleted: z.boolean(),
        goalTargets: z.array(z.number().int()),
      })
      .optional()
      .openapi({ description: "Progress toward the rule's goal targets (absent when it has none)" }),
    lastContributingDay: z
      .string()
      .optional()
      .openapi({ description: "The last period that counted; absent before the first" }),
    lastPeriod: periodSchema.nullable(),
    timezone: z.string().openapi({ example: "Europe/Rome" }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    streakConfiguration: liveStreakConfigurationSchema
      .optional()
      .openapi({ description: "Absent when the rule is no longer published" }),
    freeze: z
      .object({ enabled: z.boolean(), virtualCurrencyId: z.string().optional() })
      .optional()
      .openapi({ description: "Whether missed periods can be frozen, paid in this currency" }),
    translation: z
      .object({ lang: langSchema, label: z.string(), description: z.string().optional() })
      .optional()
      .openapi({ description: "The rule's default-language name" }),
  })
  .openapi("Streak");

/** A calendar record of a streak: a cadence period (`kind`) or an aggregate of a week, month or year. */
export const streakRecordSchema = z
  .object({
    streakId: z.string(),
    periodType: z.enum(["DAY", "WEEK", "MONTH", "YEAR"]),
    periodId: z.string().openapi({ example: "2026-W49" }),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    kind: z.enum(["REGULAR", "FREEZE", "ANY"]),
    count,
    freezeCount: count.optional(),
    perfectWeek: z.boolean().optional(),
    perfectMonth: z.boolean().optional(),
    perfectYear: z.boolean().optional(),
  })
  .openapi("StreakRecord");

export const streakWithRecordsSchema = streakSchema
  .extend({ records: z.array(streakRecordSchema) })
  .openapi("StreakWithRecords");

/** An entry of the streak list with a calendar period type: one record of one of the user's streaks. */
export const streakPeriodEntrySchema = z
  .object({
    streakId: z.string(),
    userId: z.string(),
    streakRuleId: z.string(),
    streakConfigurationId: z.string(),
    periodType: z.enum(["DAY", "WEEK", "MONTH", "YEAR"]),
    periodId: z.string().openapi({ example: "2026-W49" }),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    status: z.enum(["ACTIVE", "COMPLETED", "BROKEN", "ENDED"]).openapi({ description: "The streak's status" }),
    kind: z.enum(["REGULAR", "FREEZE", "ANY"]),
    cadence: z.enum(["DAY", "WEEK"]),
    metric: z.enum(["DAYS", "WEEKS"]),
    count,
    freezeCount: count.optional(),
    perfectWeek: z.boolean().optional(),
    perfectMonth: z.boolean().optional(),
    perfectYear: z.boolean().optional(),
    timezone: z.string().openapi({ example: "Europe/Rome" }),
  })
  .openapi("StreakPeriodEntry");

export const streakListItemSchema = z.union([streakSchema, streakPeriodEntrySchema]).openapi("StreakListItem");

const positive = z.coerce.number().int().positive();

export const STREAK_LIST_PERIOD_TYPES = ["DAY", "WEEK", "MONTH", "YEAR", "ITERATION", "GOAL"] as const;

/** The reference's `ListStreaks` query (`order` / `sort` aside: see docs/reference-deviations.md). */
export const streakListQuery = z.object({
  periodType: z.enum(STREAK_LIST_PERIOD_TYPES).default("ITERATION").openapi({
    description:
      "What each entry is: ITERATION the user's counters, GOAL the goal each counter works toward, DAY/WEEK/MONTH/YEAR the streaks' calendar records of that period type. Default ITERATION (the reference requires it)",
  }),
  streakRuleId: z.string().min(1).max(64).optional(),
  status: z.enum(["ACTIVE", "COMPLETED", "BROKEN", "ENDED"]).optional(),
  from: z.iso.datetime({ offset: true }).optional().openapi({
    description:
      "ITERATION/GOAL: entries updated at or after this instant; calendar types: records of periods ending after it (default: a year and a day before `to`)",
  }),
  to: z.iso.datetime({ offset: true }).optional().openapi({
    description:
      "ITERATION/GOAL: entries updated at or before this instant; calendar types: records of periods starting at or before it (default: now)",
  }),
  goalId: positive.optional().openapi({ description: "ITERATION/GOAL only: the goal (1-based) the counter is at" }),
  iterationId: positive
    .optional()
    .openapi({ description: "ITERATION/GOAL only: the iteration (1-based) of the goal cycle" }),
  target: positive.optional().openapi({ description: "ITERATION/GOAL only: the goal's target" }),
  fields: fieldsQuery(["translation"]).openapi({
    description: "Accepted for the reference's clients; `translation` is always included",
  }),
  ...pageQuery,
});

export type StreakListQuery = z.output<typeof streakListQuery>;

export const streakRecordsQuery = z.object({
  fields: fieldsQuery(["translation"]).openapi({
    description: "Accepted for the reference's clients; `translation` is always included",
  }),
  from: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "Records from this instant (default: a year and a day before `to`)" }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: "Records up to this instant (default: now)" }),
  periodType: z
    .enum(["DAY", "WEEK", "MONTH", "YEAR"])
    .optional()
    .openapi({ description: "Only records of this period type (default: all)" }),
});
