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
