import { logger } from "../logging";
import { evaluate } from "../rules/jsonlogic";
import { resolvePeriod, seriesEnded } from "./instances";
import { leaderboardKeys } from "./keys";
import type { LeaderboardConfiguration, LeaderboardInstance, ScoringEvent } from "./model";
import {
  closeSeries,
  endedRetentionSeconds,
  ensureInstance,
  getScore,
  incrementScore,
  listOpenSeries,
  markRedisStale,
} from "./repository";
import type { LeaderboardStore } from "./store";

/** The points an event is worth on a configuration (0 when it does not count). */
export function scoreDelta(
  config: Pick<LeaderboardConfiguration, "score" | "eligibleUsers" | "weightExpression">,
  event: ScoringEvent,
): number {
  if (config.eligibleUsers.type === "TAG" && !event.user.tags.includes(config.eligibleUsers.tagId)) return 0;
  if (event.outcome === "FAILURE") return 0;
  let base = 0;
  const s = config.score;
  switch (s.source) {
    case "ACTIVITY_COUNT":
      base = event.kind === "ACTIVITY" && event.entityId === s.activityId ? 1 : 0;
      break;
    case "ACTIVITY_VALUE":
      base = event.kind === "ACTIVITY" && event.entityId === s.activityId ? event.value : 0;
      break;
    case "VIRTUAL_CURRENCY_CREDITS":
      base = event.kind === "VIRTUAL_CURRENCY_CREDIT" && event.entityId === s.virtualCurrencyId ? event.value : 0;
      break;
    case "MISSIONS_COMPLETED":
      base =
        event.kind === "MISSION_COMPLETED" && (!s.missionConfigurationId || s.missionConfigurationId === event.entityId)
          ? 1
          : 0;
      break;
  }
  if (base === 0 || !Number.isFinite(base)) return 0;
  if (config.weightExpression) {
    const weight = Number(
      evaluate(config.weightExpression, {
        event: { ...event.data, value: event.value, entityId: event.entityId },
        user: event.user,
      }),
    );
    if (Number.isFinite(weight)) return base * weight;
  }
  return base;
}

export interface ScoringOutcome {
  instanceId: string;
  delta: number;
  applied: boolean;
  redis: "applied" | "stale" | "not-built" | "failed";
}

/**
 * The leaderboard consumer of applied events. For every open series whose configuration the
 * event scores on: find (or create) the instance of the event's period in the user's zone,
 * add the points in DynamoDB exactly once (event marker + increment in one transaction), then
 * copy the user's absolute, versioned score to Redis. A Redis failure never fails the event:
 * the instance is marked stale and its next read rebuilds it from DynamoDB.
 */
export async function applyScoringEvent(
  store: LeaderboardStore,
  event: ScoringEvent,
  now = new Date(),
): Promise<ScoringOutcome[]> {
  const outcomes: ScoringOutcome[] = [];
  const occurredAt = new Date(event.occurredAt);
  for (const series of await listOpenSeries(event.workspaceId)) {
    if (seriesEnded(series, now)) {
      await closeSeries(event.workspaceId, series.seriesId);
      continue;
    }
    const delta = scoreDelta(series.configuration, event);
    if (delta === 0) continue;
    const resolved = resolvePeriod(series, occurredAt, event.user.timezone);
    if (resolved?.state !== "ACTIVE") continue;
    // Ended periods are frozen: a late event no longer changes them.
    if (resolved.userEndsAt && now.getTime() >= Date.parse(resolved.userEndsAt)) continue;
    outcomes.push(await scoreOnInstance(store, resolved.instance, event, delta, now));
  }
  return outcomes;
}

async function scoreOnInstance(
  store: LeaderboardStore,
  instance: LeaderboardInstance,
  event: ScoringEvent,
  delta: number,
  now: Date,
): Promise<ScoringOutcome> {
  await ensureInstance(instance);
  const ttl = instance.timeframeEndsAt
    ? Math.floor(Date.parse(instance.timeframeEndsAt) / 1000) + endedRetentionSeconds()
    : undefined;
  const applied = await incrementScore(
    {
      workspaceId: event.workspaceId,
      instanceId: instance.runtimeLeaderboardId,
      eventId: event.eventId,
      userId: event.userId,
      delta,
      reachedAtMs: Date.parse(event.occurredAt),
      displayName: event.user.displayName,
      image: event.user.image,
      ttl,
    },
    Math.floor(now.getTime() / 1000),
  );
  // Also on a duplicate: pushing the current state repairs Redis if the first attempt died
  // between the DynamoDB commit and the Redis write.
  let redis: ScoringOutcome["redis"];
  try {
    const state = await getScore(event.workspaceId, instance.runtimeLeaderboardId, event.userId);
    redis = state
      ? await store.setScore(
          leaderboardKeys(event.workspaceId, instance.runtimeLeaderboardId, instance.periodId),
          state,
        )
      : "stale";
  } catch (err) {
    redis = "failed";
    logger.warn("leaderboard Redis write failed; instance marked stale", {
      instanceId: instance.runtimeLeaderboardId,
      error: err instanceof Error ? err.message : String(err),
    });
    await markRedisStale(event.workspaceId, instance.runtimeLeaderboardId, now.toISOString());
  }
  return { instanceId: instance.runtimeLeaderboardId, delta, applied, redis };
}
