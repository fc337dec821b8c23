import { z } from "@hono/zod-openapi";

/**
 * The domain event catalog (docs/events.md): each type's payload schema, version 1. Every
 * event shares the envelope; `data` is the type's own. The OpenAPI document lists them as
 * `webhooks` (what an endpoint receives), and the tests check every published event against
 * its schema.
 */
const id = z.string().openapi({ example: "FUMzPf00hz_kcj2R2Hlzq" });
const streak = { streakRuleId: id, streakConfigurationId: id };

export const DOMAIN_EVENT_DATA = {
  "activity-log.created": z.object({
    activityLogId: id,
    activityId: id,
    outcome: z.string().openapi({ example: "SUCCESS" }),
    value: z.number().openapi({ example: 1 }),
    tags: z.array(z.string()),
  }),
  "mission.completed": z.object({
    missionId: id,
    missionConfigurationId: id,
    missionType: z.enum(["INDIVIDUAL", "GROUP"]),
    currentAmount: z.number().openapi({ example: 10 }),
    targetAmount: z.number().openapi({ example: 10 }),
  }),
  "reward.granted": z.object({
    virtualTransactionId: id,
    virtualCurrencyId: id,
    amount: z.number().openapi({ example: 5 }),
    state: z.enum(["COMPLETED", "PENDING"]),
    rewardRuleId: id,
  }),
  "virtual-balance.changed": z.object({
    virtualCurrencyId: id,
    amountDelta: z.number().openapi({ example: 5 }),
    availableAmountDelta: z.number().openapi({ example: 5 }),
  }),
  "badge.earned": z.object({ badgeConfigurationId: id }),
  "streak.extended": z.object({
    ...streak,
    count: z.number().int().openapi({ example: 3 }),
    longest: z.number().int().openapi({ example: 7 }),
    periodId: z.string().openapi({ example: "2026-12-08" }),
  }),
  "streak.frozen": z.object({ ...streak, frozenPeriods: z.number().int().positive().openapi({ example: 1 }) }),
  "streak.broken": z.object(streak),
  "learning-path.completed": z.object({
    learningPathId: id,
    attempt: z.number().int().positive().openapi({ example: 1 }),
    outcome: z.string().optional().openapi({ example: "SUCCESS" }),
  }),
} as const;

export type DomainEventType = keyof typeof DOMAIN_EVENT_DATA;
export const DOMAIN_EVENT_TYPES = Object.keys(DOMAIN_EVENT_DATA) as DomainEventType[];

const DESCRIPTIONS: Record<DomainEventType, string> = {
  "activity-log.created": "An activity log was applied (once per log id)",
  "mission.completed": "A mission reached its target",
  "reward.granted": "A reward rule credited a currency (AUTO: COMPLETED; MANUAL: PENDING)",
  "virtual-balance.changed": "A run changed a balance (net, per currency)",
  "badge.earned": "A badge was awarded",
  "streak.extended": "A period counted for a streak",
  "streak.frozen": "Missed periods were covered by freezes",
  "streak.broken": "A streak restarted after missed periods",
  "learning-path.completed": "A learning path's progress became COMPLETE",
};

/** The envelope of one type, as the bus's `detail` and a webhook's body carry it. */
export function domainEventSchema(type: DomainEventType) {
  return z.object({
    id: z.string().openapi({
      description: "Deterministic: `<root event id>:<type>:<key>`; a resend carries the same id (the `webhook-id`)",
      example: `run-42:${type}:FUMzPf00hz_kcj2R2Hlzq`,
    }),
    type: z.literal(type),
    version: z.literal(1),
    workspaceId: z.string().openapi({ example: "Ws1234567a" }),
    userId: z.string().openapi({ example: "FUMzPf00hz_kcj2R2Hlzq" }),
    occurredAt: z.string().openapi({ example: "2026-12-08T10:00:00.000Z" }),
    rootEventId: z.string().openapi({ example: "run-42" }),
    data: DOMAIN_EVENT_DATA[type],
  });
}

export function domainEventDescription(type: DomainEventType): string {
  return DESCRIPTIONS[type];
}
