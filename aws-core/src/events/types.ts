/**
 * An event the pipeline applies for one user: the root event (an activity log, a quiz or
 * slide submit) and the events derived from it while it is applied (a mission completed, a
 * virtual transaction created, learning progress). Every consumer sees them in order.
 * JsonLogic rules see `data` as `event` and `previous` as `previousEvent`.
 */
export const EVENT_TYPES = {
  activityLog: "ACTIVITY_LOG",
  missionCompleted: "MISSION_COMPLETED",
  virtualTransaction: "VIRTUAL_TRANSACTION",
  quizSubmitted: "QUIZ_SUBMITTED",
  slideSubmitted: "SLIDE_SUBMITTED",
  learningGroupProgress: "LEARNING_GROUP_PROGRESS",
  learningPathProgress: "LEARNING_PATH_PROGRESS",
} as const;
export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

export interface AppliedEvent {
  /** Deterministic: the root log id, or `<root>:<derivation>`; safe to use in item keys. */
  eventId: string;
  type: EventType | (string & {});
  workspaceId: string;
  userId: string;
  /** Matching subject: `Activity`, `Mission`, `Quiz`, `LearningPath`, `VirtualTransaction`, ... */
  entityType: string;
  entityId: string;
  /** Tag ids of the entity plus those sent with the event. */
  tags: string[];
  occurredAt: string;
  /** The id of the root event this one derives from (itself for the root). */
  rootEventId: string;
  data: Record<string, unknown>;
  previous?: Record<string, unknown> | null;
}

/** The user as rules see it (`user` in JsonLogic). */
export interface RuleUser {
  userId: string;
  externalId?: string;
  lang?: string;
  timezone?: string;
  tags: string[];
  createdAt?: string;
  [key: string]: unknown;
}

/**
 * A domain fact a run produced — what the event bus, webhooks and live updates see (the
 * webhook event catalog: `mission.completed`, `badge.earned`, …). Consumers publish them with
 * `ctx.publish`; the pipeline stores the run's facts on the root event's log item, in the same
 * transaction as the effects (an outbox: they exist if and only if the effects do), and the
 * stream handler sends them to the bus.
 */
export interface DomainEventInput {
  /** Catalog type, e.g. `mission.completed`. */
  type: string;
  /** What the fact is about, unique per type within the run (e.g. the mission id). */
  key: string;
  occurredAt?: string;
  data: Record<string, unknown>;
}

export interface DomainEvent {
  /** Deterministic (`<root event id>:<type>:<key>`): a resend carries the same id. */
  id: string;
  type: string;
  /** Version of the type's payload schema. */
  version: number;
  workspaceId: string;
  userId: string;
  occurredAt: string;
  /** The root event (activity log, submit) the fact derives from. */
  rootEventId: string;
  data: Record<string, unknown>;
}
