import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { coreConfig } from "../config";
import { documentDb, tableName } from "../db/client";
import { parseItem } from "../db/items";
import { PK, sortKey } from "../db/keys";
import { queryPages } from "../db/query";

/**
 * The published ("live") configuration the engine evaluates. Publishing (or archiving) a
 * configuration writes a snapshot of it to the workspace's LIVE partition in the same
 * transaction as the configuration's new version:
 *
 *   pk = WS#<workspaceId>#LIVE   sk = <kind>#<id>   { kind, id, version, data }
 *
 * so the engine reads everything it needs with one strongly consistent Query, and editing a
 * draft never changes what runs until it is published. The result is cached per container
 * for `engine/config-cache-ms` (`ENGINE_CONFIG_CACHE_MS` locally; default 2 s); a publish in this container clears the entry.
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
  "learningPathRule",
] as const;
export type ConfigKind = (typeof CONFIG_KINDS)[number];

export interface LiveEntry<T = unknown> {
  kind: ConfigKind;
  id: string;
  version: number;
  data: T;
  /** The published record's timestamps (absent on snapshots written before they were kept). */
  createdAt?: string;
  updatedAt?: string;
}

export type LiveConfig = { [K in ConfigKind]: Map<string, LiveEntry> };

export function liveKey(workspaceId: string, kind: ConfigKind, id: string) {
  return { pk: PK.live(workspaceId), sk: sortKey(kind, id) };
}

/** Put parameters for a live snapshot (use inside the publishing transaction). */
export function liveSnapshotPut(workspaceId: string, entry: LiveEntry<unknown>) {
  return { TableName: tableName(), Item: { ...liveKey(workspaceId, entry.kind, entry.id), ...entry } };
}

/** The transaction item that makes a record's new version what the engine runs. */
export function putLiveSnapshot(
  workspaceId: string,
  kind: ConfigKind,
  record: { id: string; version: number; data: unknown; createdAt: string; updatedAt: string },
): { Put: ReturnType<typeof liveSnapshotPut> } {
  const { id, version, data, createdAt, updatedAt } = record;
  return { Put: liveSnapshotPut(workspaceId, { kind, id, version, data, createdAt, updatedAt }) };
}

/** The transaction item that stops the engine running a record (absent snapshots are fine). */
export function deleteLiveSnapshot(workspaceId: string, kind: ConfigKind, id: string) {
  return { Delete: { TableName: tableName(), Key: liveKey(workspaceId, kind, id) } };
}

const liveEntrySchema = z.looseObject({
  kind: z.string(),
  id: z.string(),
  version: z.number(),
  data: z.unknown(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});

function toLiveEntry<T>(item: Record<string, unknown>): LiveEntry<T> {
  const entry = parseItem(liveEntrySchema, item, "live snapshot");
  return {
    kind: entry.kind as ConfigKind,
    id: entry.id,
    version: entry.version,
    data: entry.data as T,
    ...(entry.createdAt && entry.updatedAt ? { createdAt: entry.createdAt, updatedAt: entry.updatedAt } : {}),
  };
}

/** The live snapshot of one configuration (what the engine currently runs), if published. */
export async function getLive<T>(workspaceId: string, kind: ConfigKind, id: string): Promise<LiveEntry<T> | null> {
  const out = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: liveKey(workspaceId, kind, id), ConsistentRead: true }),
  );
  return out.Item ? toLiveEntry<T>(out.Item) : null;
}

/** Fields that hold ids of other configurations (any depth): `…Id`, `…Ids`, `tags`, the mission pool. */
function referencedIds(value: unknown, key = "", out = new Set<string>()): Set<string> {
  const idField = /Ids?$/.test(key) || key === "tags" || key === "missionConfigurationsPool";
  if (typeof value === "string") {
    if (idField) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) referencedIds(v, idField ? key : "", out);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) referencedIds(v, k, out);
  }
  return out;
}

/** Live configurations (published rules, configurations, open leaderboard series) that name `id`. */
export async function liveReferencesTo(
  workspaceId: string,
  kind: ConfigKind,
  id: string,
): Promise<{ kind: ConfigKind; id: string }[]> {
  invalidateLiveConfig(workspaceId);
  const live = await loadLiveConfig(workspaceId);
  const found: { kind: ConfigKind; id: string }[] = [];
  for (const entries of Object.values(live)) {
    for (const entry of entries.values()) {
      if (entry.kind === kind && entry.id === id) continue;
      if (referencedIds(entry.data).has(id)) found.push({ kind: entry.kind, id: entry.id });
    }
  }
  return found;
}

const cache = new Map<string, { at: number; config: LiveConfig }>();
const inFlight = new Map<string, Promise<LiveConfig>>();
/** Bumped by every invalidation: a load that started before one is not cached. */
let generation = 0;

function cacheMs(): number {
  return coreConfig().engineConfigCacheMs;
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
  const pages = queryPages({
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": PK.live(workspaceId) },
    ConsistentRead: true,
  });
  for await (const items of pages) {
    engineCallCounter.configQueries++;
    for (const item of items) {
      const entry = toLiveEntry(item);
      config[entry.kind]?.set(entry.id, entry);
    }
  }
  return config;
}
