import type { EventConsumer } from "../pipeline/consumer";

/** Activity logs as a consumer of the event pipeline: each applied log is an `activity-log.created` fact. */
export const activityLogConsumer: EventConsumer = {
  name: "activity-logs",
  apply(event, ctx) {
    if (event.type !== "ACTIVITY_LOG" || event.eventId !== event.rootEventId) return;
    const { activityLogId, activityId, outcome, value, completedAt } = event.data as Record<string, unknown>;
    ctx.publish({
      type: "activity-log.created",
      key: String(activityLogId),
      occurredAt: typeof completedAt === "string" ? completedAt : event.occurredAt,
      data: { activityLogId, activityId, outcome, value, tags: event.tags },
    });
  },
};
