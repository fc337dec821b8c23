import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { documentDb, tableName } from "../db/client";

/**
 * The published ("live") configuration the engine evaluates. Publishing (or archiving) a
 * configuration writes a snapshot of it to the workspace's LIVE partition in the same
 * transaction as the configuration's new version:
 *
 *   pk = WS#<workspaceId>#LIVE   sk = <kind>#<id>   { kind, id, version, data }
 *
 * so the engine reads everything it needs with one strongly consistent Query, and editing a
 * draft never changes what runs until it is published. The result is cached per container
 * for `ENGINE_CONFIG_CACHE_MS` (default 2 s); a publish in this container clears the entry.
 * Concurrent loads of one workspace share one Query.
 *
 * Besides the dashboard configurations, the partition holds the open leaderboard series
 * (`leaderboardSeries#<seriesId>`, written with the series and deleted when it closes), so
 * the leaderboard consumer needs no read of its own on the event path, and the manually
 * assigned GROUP missions (`groupMission#<missionId>` { groupTagId, startsAt, endsAt }, written
 * with the mission, expiring through `ttl` after it ends), so the pipeline finds them the way it
 * finds rule-created ones: by key, without a read per group.
 *
 * It also holds the structure of every PUBLISHED learning path and group (`learningPath#<id>`,
 * `learningGroup#<id>` { activityIds, groupIds }, written with the container's version, deleted
 * when it stops being published), so an activity log reads the user's path assignments only
 * when its activity sits in a published path (content/live-structure.ts).
 */
export const CONFIG_KINDS = [
  "activity",
  "tag",
  "virtualCurrency",
  "rewardRule",
  "badgeConfiguration",
  "missionConfiguration",
  "missionRule",
  "streakConfiguration",
  "streakRule",
  "leaderboardSeries",
  "groupMission",
  "learningPath",
  "learningGroup",
] as const;
export type ConfigKind = (typeof CONFIG_KINDS)[number];

export interface LiveEntry<T = unknown> {
  kind: ConfigKind;
  id: string;
  version: number;
  data: T;
}

export type LiveConfig = { [K in ConfigKind]: Map<string, LiveEntry> };

export function livePk(workspaceId: string): string {
  return `WS#${workspaceId}#LIVE`;
}

export function liveKey(workspaceId: string, kind: ConfigKind, id: string) {
  return { pk: livePk(workspaceId), sk: `${kind}#${id}` };
}

/** Put parameters for a live snapshot (use inside the publishing transaction). */
export function liveSnapshotPut(workspaceId: string, entry: LiveEntry<unknown>) {
  return { TableName: tableName(), Item: { ...liveKey(workspaceId, entry.kind, entry.id), ...entry } };
}

const cache = new Map<string, { at: number; config: LiveConfig }>();
const inFlight = new Map<string, Promise<LiveConfig>>();
/** Bumped by every invalidation: a load that started before one is not cached. */
let generation = 0;

function cacheMs(): number {
  const raw = Number(process.env.ENGINE_CONFIG_CACHE_MS);
  return Number.isFinite(raw) && raw >= 0 ? raw : 2_000;
}

export function invalidateLiveConfig(workspaceId: string): void {
  cache.delete(workspaceId);
  inFlight.delete(workspaceId);
  generation++;
}

function emptyConfig(): LiveConfig {
  return Object.fromEntries(CONFIG_KINDS.map((k) => [k, new Map()])) as LiveConfig;
}

/** Counts DynamoDB calls made by the engine (read by the ingestion benchmark). */
export const engineCallCounter = { configQueries: 0 };

export function loadLiveConfig(workspaceId: string, now = Date.now()): Promise<LiveConfig> {
  const hit = cache.get(workspaceId);
  if (hit && now - hit.at < cacheMs()) return Promise.resolve(hit.config);
  const pending = inFlight.get(workspaceId);
  if (pending) return pending;
  const started = generation;
  const load = queryLiveConfig(workspaceId).then(
    (config) => {
      if (inFlight.get(workspaceId) === load) inFlight.delete(workspaceId);
      if (started === generation) cache.set(workspaceId, { at: now, config });
      return config;
    },
    (err: unknown) => {
      if (inFlight.get(workspaceId) === load) inFlight.delete(workspaceId);
      throw err;
    },
  );
  inFlight.set(workspaceId, load);
  return load;
}

async function queryLiveConfig(workspaceId: string): Promise<LiveConfig> {
  const config = emptyConfig();
  let startKey: Record<string, unknown> | undefined;
  do {
    engineCallCounter.configQueries++;
    const out = await documentDb().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": livePk(workspaceId) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) {
      const entry = item as LiveEntry & { kind: ConfigKind };
      config[entry.kind]?.set(entry.id, { kind: entry.kind, id: entry.id, version: entry.version, data: entry.data });
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return config;
}
