import { z } from "@hono/zod-openapi";
import { langSchema } from "@questline/contracts";
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
    periodType: z.enum(["ITERATION"]),
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

export const streakListQuery = z.object({
  streakRuleId: z.string().min(1).max(64).optional(),
  status: z.enum(["ACTIVE", "COMPLETED", "BROKEN", "ENDED"]).optional(),
});

export const streakRecordsQuery = z.object({
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
