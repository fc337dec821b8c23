import type { AppliedEvent, RuleUser } from "../events/types";
import type { EventConsumer } from "../pipeline/consumer";
import { resolvePeriod, seriesEnded } from "./instances";
import { leaderboardKeys } from "./keys";
import type { LeaderboardInstance, LeaderboardSeries, ScoringEvent } from "./model";
import {
  endedRetentionSeconds,
  getScore,
  instanceUpsertUpdate,
  markRedisStale,
  scoreIncrementUpdate,
} from "./repository";
import { leaderboardStore } from "./runtime";
import { scoreDelta } from "./scoring";

/** Maps an event the pipeline applied to what leaderboards score on (null: nothing to score). */
export function toScoringEvent(event: AppliedEvent, user: RuleUser): ScoringEvent | null {
  const d = event.data;
  const displayName =
    [user.nickname, [user.firstName, user.lastName].filter(Boolean).join(" ")].find(
      (v): v is string => typeof v === "string" && v.length > 0,
    ) ?? undefined;
  const base = {
    eventId: event.eventId,
    workspaceId: event.workspaceId,
    userId: event.userId,
    occurredAt: event.occurredAt,
    user: {
      tags: user.tags,
      timezone: user.timezone,
      ...(displayName ? { displayName } : {}),
      ...(typeof user.profileImage === "string" ? { image: user.profileImage } : {}),
    },
    data: d,
  };
  if (event.type === "ACTIVITY_LOG") {
    const value = Number(d.value ?? 1);
    return {
      ...base,
      kind: "ACTIVITY",
      entityId: event.entityId,
      value: Number.isFinite(value) ? value : 1,
      ...(d.outcome === "FAILURE" ? { outcome: "FAILURE" as const } : {}),
    };
  }
  if (event.type === "VIRTUAL_TRANSACTION") {
    if (d.direction !== "CREDIT" || d.state !== "COMPLETED" || typeof d.virtualCurrencyId !== "string") return null;
    return { ...base, kind: "VIRTUAL_CURRENCY_CREDIT", entityId: d.virtualCurrencyId, value: Number(d.amount) };
  }
  if (event.type === "MISSION_COMPLETED")
    return { ...base, kind: "MISSION_COMPLETED", entityId: event.entityId, value: 1 };
  return null;
}

interface Touched {
  instance: LeaderboardInstance;
  values: Record<string, unknown>;
}

interface LeaderboardConsumerState {
  series: LeaderboardSeries[];
  /** Per plan: instances this event's transaction already increments (one item per instance). */
  touched: Map<string, Touched>;
}

/**
 * The leaderboard consumer of the exactly-once event pipeline: score increments join the
 * event's own DynamoDB transaction (so a retried event never counts twice), and after the
 * commit each touched user's absolute, versioned score is copied to Redis. A Redis failure
 * marks the instance stale; its next read rebuilds it from DynamoDB. The open series come
 * from the engine's cached live configuration (the pipeline reads it anyway), so scoring
 * costs no read per event; a series created in another container is seen within
 * `engine/config-cache-ms`, like any published configuration.
 */
export const leaderboardConsumer: EventConsumer<LeaderboardConsumerState> = {
  name: "leaderboards",
  async load({ config }) {
    const live = await config;
    const series = [...live.leaderboardSeries.values()].map((entry) => entry.data as LeaderboardSeries);
    return { series, touched: new Map() };
  },
  apply(event, ctx) {
    const scoring = toScoringEvent(event, ctx.user);
    if (!scoring) return;
    for (const series of ctx.state.series) {
      if (seriesEnded(series, ctx.now)) continue;
      const delta = scoreDelta(series.configuration, scoring);
      if (delta === 0) continue;
      const resolved = resolvePeriod(series, new Date(scoring.occurredAt), ctx.user.timezone);
      if (resolved?.state !== "ACTIVE") continue;
      if (resolved.userEndsAt && ctx.now.getTime() >= Date.parse(resolved.userEndsAt)) continue;
      const { instance } = resolved;
      const existing = ctx.state.touched.get(instance.runtimeLeaderboardId);
      if (existing) {
        existing.values[":delta"] = Number(existing.values[":delta"]) + delta;
        existing.values[":reached"] = Date.parse(scoring.occurredAt);
        continue;
      }
      const update = scoreIncrementUpdate({
        workspaceId: ctx.workspaceId,
        instanceId: instance.runtimeLeaderboardId,
        userId: ctx.user.userId,
        delta,
        reachedAtMs: Date.parse(scoring.occurredAt),
        displayName: scoring.user.displayName,
        image: scoring.user.image,
        ttl: instance.timeframeEndsAt
          ? Math.floor(Date.parse(instance.timeframeEndsAt) / 1000) + endedRetentionSeconds()
          : undefined,
      });
      ctx.tx.update(instanceUpsertUpdate(instance), { kind: "consumer", ref: "leaderboards:instance" });
      ctx.tx.update(update, { kind: "consumer", ref: "leaderboards:score" });
      ctx.state.touched.set(instance.runtimeLeaderboardId, { instance, values: update.ExpressionAttributeValues });
    }
  },
  async afterCommit(_events, ctx) {
    const store = leaderboardStore();
    for (const { instance } of ctx.state.touched.values()) {
      try {
        const state = await getScore(ctx.workspaceId, instance.runtimeLeaderboardId, ctx.user.userId);
        if (state) {
          await store.setScore(
            leaderboardKeys(ctx.workspaceId, instance.runtimeLeaderboardId, instance.periodId),
            state,
          );
        }
      } catch (err) {
        ctx.logger.warn("leaderboard Redis write failed; instance marked stale", {
          instanceId: instance.runtimeLeaderboardId,
          error: err instanceof Error ? err.message : String(err),
        });
        await markRedisStale(ctx.workspaceId, instance.runtimeLeaderboardId, ctx.now.toISOString());
      }
    }
  },
};
