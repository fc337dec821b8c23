import { z } from "@hono/zod-openapi";
import { entityIdSchema, jsonLogicSchema, langSchema } from "@questline/contracts";
import { ownerFields, ownerShape, translationsView, translationViewSchema } from "../records/owner";
import { RECURRENCES, TIMEZONE_TYPES } from "../rules/timeframe";
import { TIE_BREAK_POLICIES } from "./ranking";

/**
 * RuntimeLeaderboardConfiguration: what is ranked. The reference schema describes the score
 * as a SQL-like `query`; we expose the domain's choices directly (docs/leaderboards-streaks-
 * content.md): eligible users, a score source, an optional JsonLogic weight, display settings
 * and the tie-break policy.
 */
export const eligibleUsersSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("ALL") }),
  z.strictObject({ type: z.literal("TAG"), tagId: z.string().min(1).max(128) }),
]);

export const scoreSourceSchema = z.discriminatedUnion("source", [
  z.strictObject({ source: z.literal("VIRTUAL_CURRENCY_CREDITS"), virtualCurrencyId: entityIdSchema }),
  z.strictObject({ source: z.literal("ACTIVITY_COUNT"), activityId: entityIdSchema }),
  z.strictObject({ source: z.literal("ACTIVITY_VALUE"), activityId: entityIdSchema }),
  z.strictObject({ source: z.literal("MISSIONS_COMPLETED"), missionConfigurationId: entityIdSchema.optional() }),
]);
export type ScoreSource = z.infer<typeof scoreSourceSchema>;

const translationSchema = z.strictObject({
  lang: langSchema,
  label: z.string().min(1).max(300),
  scoreLabel: z.string().min(1).max(100).optional(),
});

const configFields = {
  name: z.string().min(1).max(300),
  eligibleUsers: eligibleUsersSchema.default({ type: "ALL" }),
  score: scoreSourceSchema,
  weightExpression: jsonLogicSchema.nullable().optional(),
  displayTopN: z.number().int().min(1).max(100).default(10),
  showRank: z.boolean().default(true),
  showScore: z.boolean().default(true),
  tieBreak: z.enum(TIE_BREAK_POLICIES).default("RANK"),
  defaultLang: langSchema,
  translations: z.array(translationSchema).min(1).max(10),
};

export const createConfigurationSchema = z.strictObject({
  runtimeLeaderboardConfigurationId: entityIdSchema.optional(),
  ...configFields,
});
export const updateConfigurationSchema = z.strictObject({
  name: configFields.name.optional(),
  eligibleUsers: eligibleUsersSchema.optional(),
  score: scoreSourceSchema.optional(),
  weightExpression: jsonLogicSchema.nullable().optional(),
  displayTopN: z.number().int().min(1).max(100).optional(),
  showRank: z.boolean().optional(),
  showScore: z.boolean().optional(),
  tieBreak: z.enum(TIE_BREAK_POLICIES).optional(),
  translations: configFields.translations.optional(),
});

export type ConfigurationInput = z.infer<typeof createConfigurationSchema>;
export interface LeaderboardConfiguration extends Omit<ConfigurationInput, "runtimeLeaderboardConfigurationId"> {
  runtimeLeaderboardConfigurationId: string;
  langs: string[];
  workspaceId: string;
  accountId?: string;
  /** Absent on configurations stored before it was recorded. */
  sourceRegion?: string;
  createdAt: string;
  updatedAt: string;
}

const timestamp = z.string().openapi({ format: "date-time" });

/** A stored configuration (keys dropped): also the API's answer. */
export const leaderboardConfigurationSchema = z.object({
  runtimeLeaderboardConfigurationId: z.string(),
  name: z.string(),
  eligibleUsers: eligibleUsersSchema,
  score: scoreSourceSchema,
  weightExpression: jsonLogicSchema.nullable().optional(),
  displayTopN: z.number().int(),
  showRank: z.boolean(),
  showScore: z.boolean(),
  tieBreak: z.enum(TIE_BREAK_POLICIES),
  defaultLang: z.string(),
  translations: z.array(translationSchema),
  langs: z.array(z.string()),
  workspaceId: z.string(),
  accountId: z.string().optional(),
  sourceRegion: z.string().optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
}) satisfies z.ZodType<LeaderboardConfiguration>;

/** A configuration as the API shows it: with its owner and region, translations as the reference lists them. */
export const leaderboardConfigurationViewSchema = leaderboardConfigurationSchema
  .extend({
    ...ownerShape,
    translations: z.array(translationViewSchema("runtimeLeaderboardConfigurationId", translationSchema)),
  })
  .openapi("RuntimeLeaderboardConfiguration");

export function toConfigurationView(
  config: LeaderboardConfiguration,
): z.infer<typeof leaderboardConfigurationViewSchema> {
  const owner = ownerFields(config);
  return {
    ...config,
    ...owner,
    translations: translationsView(
      "runtimeLeaderboardConfigurationId",
      { id: config.runtimeLeaderboardConfigurationId, owner, createdAt: config.createdAt, updatedAt: config.updatedAt },
      config.translations,
    ) as z.infer<typeof leaderboardConfigurationViewSchema>["translations"],
  };
}

/** `POST /runtime-leaderboard-configurations/{id}/instances` (reference shape). */
export const createInstanceSchema = z
  .strictObject({
    timeframeType: z.enum(["PERMANENT", "RANGE", "RECURRING"]),
    timeframeTimezoneType: z.enum(TIMEZONE_TYPES),
    timeframeTimezone: z.string().optional(),
    timeframeStartsAt: z.iso.datetime({ offset: true }),
    timeframeEndsAt: z.iso.datetime({ offset: true }).optional(),
    recurrence: z.enum(RECURRENCES).optional(),
    scheduleCron: z.string().max(100).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.timeframeType === "RANGE" && !v.timeframeEndsAt) {
      ctx.addIssue({ code: "custom", path: ["timeframeEndsAt"], message: "is required for a RANGE timeframe" });
    }
    if (v.timeframeType === "RECURRING" && !v.recurrence) {
      ctx.addIssue({ code: "custom", path: ["recurrence"], message: "is required for a RECURRING timeframe" });
    }
    if (v.recurrence === "CUSTOM" && !v.scheduleCron) {
      ctx.addIssue({ code: "custom", path: ["scheduleCron"], message: "is required for a CUSTOM recurrence" });
    }
    if (v.timeframeTimezoneType === "FIXED" && !v.timeframeTimezone) {
      ctx.addIssue({ code: "custom", path: ["timeframeTimezone"], message: "is required for a FIXED timezone" });
    }
    if (v.timeframeEndsAt && Date.parse(v.timeframeEndsAt) <= Date.parse(v.timeframeStartsAt)) {
      ctx.addIssue({ code: "custom", path: ["timeframeEndsAt"], message: "must be after timeframeStartsAt" });
    }
  });
export type InstanceInput = z.infer<typeof createInstanceSchema>;

/**
 * A series is what one `instances` call creates: a single period (PERMANENT, RANGE) or a
 * recurring schedule whose periods become instances as time reaches them. It keeps the
 * configuration as it was (editing a configuration never rewrites existing instances).
 */
export interface LeaderboardSeries {
  seriesId: string;
  workspaceId: string;
  runtimeLeaderboardConfigurationId: string;
  timeframe: InstanceInput;
  configuration: LeaderboardConfiguration;
  createdAt: string;
}

/** RuntimeLeaderboard: one period of a series. */
export interface LeaderboardInstance {
  runtimeLeaderboardId: string;
  seriesId: string;
  runtimeLeaderboardConfigurationId: string;
  workspaceId: string;
  periodId: string;
  timeframeType: InstanceInput["timeframeType"];
  timeframeTimezoneType: InstanceInput["timeframeTimezoneType"];
  timeframeTimezone?: string;
  recurrence?: InstanceInput["recurrence"];
  /** The period's bounds; for USER time zones, from the earliest to the latest zone on Earth. */
  timeframeStartsAt: string;
  timeframeEndsAt?: string;
  /** Display settings copied from the configuration when the instance was created. */
  name: string;
  displayTopN: number;
  showRank: boolean;
  showScore: boolean;
  tieBreak: LeaderboardConfiguration["tieBreak"];
  /** The configuration's account; absent on instances stored before it was recorded. */
  accountId?: string;
  sourceRegion?: string;
  createdAt: string;
  updatedAt: string;
}

/** A stored instance (keys and index attributes dropped). */
export const leaderboardInstanceSchema = z.object({
  runtimeLeaderboardId: z.string(),
  seriesId: z.string().openapi({ description: "The `instances` call that created it (one per period of a schedule)" }),
  runtimeLeaderboardConfigurationId: z.string(),
  workspaceId: z.string(),
  periodId: z.string(),
  timeframeType: z.enum(["PERMANENT", "RANGE", "RECURRING"]),
  timeframeTimezoneType: z.enum(TIMEZONE_TYPES),
  timeframeTimezone: z.string().optional(),
  recurrence: z.enum(RECURRENCES).optional(),
  timeframeStartsAt: timestamp.openapi({
    description: "For USER time zones, the start in the earliest zone on Earth",
  }),
  timeframeEndsAt: timestamp.optional().openapi({ description: "For USER time zones, the end in the latest zone" }),
  name: z.string(),
  displayTopN: z.number().int(),
  showRank: z.boolean(),
  showScore: z.boolean(),
  tieBreak: z.enum(TIE_BREAK_POLICIES),
  accountId: z.string().optional(),
  sourceRegion: z.string().optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
}) satisfies z.ZodType<LeaderboardInstance>;

/** RuntimeLeaderboard as the API shows it: the instance, its owner and region, and its state now. */
export const runtimeLeaderboardSchema = leaderboardInstanceSchema
  .extend({ ...ownerShape, state: z.enum(["PENDING", "ACTIVE", "ENDED"]) })
  .openapi("RuntimeLeaderboard");

export const rankingsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/**
 * What the leaderboard consumer needs from an applied event (the events pipeline maps its
 * applied activity logs, wallet credits and mission completions to this).
 */
export interface ScoringEvent {
  eventId: string;
  workspaceId: string;
  userId: string;
  kind: "ACTIVITY" | "VIRTUAL_CURRENCY_CREDIT" | "MISSION_COMPLETED";
  outcome?: "SUCCESS" | "FAILURE";
  /** activityId, virtualCurrencyId or missionConfigurationId. */
  entityId: string;
  value: number;
  occurredAt: string;
  user: { tags: readonly string[]; timezone?: string | undefined; displayName?: string; image?: string };
  /** Extra data for the weight expression (`event.*`). */
  data?: Record<string, unknown>;
}
