/**
 * The domain event types an endpoint can subscribe to: the catalog of docs/events.md (a test
 * keeps the two equal). `webhook.test` is sent only by `POST …/{endpointId}/test`.
 */
export const WEBHOOK_EVENT_TYPES = [
  "activity-log.created",
  "mission.completed",
  "reward.granted",
  "virtual-balance.changed",
  "badge.earned",
  "streak.extended",
  "streak.frozen",
  "streak.broken",
  "learning-path.completed",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const TEST_EVENT_TYPE = "webhook.test";
