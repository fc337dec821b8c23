import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "@hono/zod-openapi";
import { QuestlineError } from "@questline/contracts";
import { coreConfig } from "../config";
import { documentDb, tableName } from "../db/client";
import { parseItem } from "../db/items";
import { INDEX_PK, PK, SK, sortKey, sortKeyPrefix, workspacePk } from "../db/keys";
import { decodeNextToken, encodeNextToken } from "../db/pagination";
import { countAll, partitionPrefix, queryAll, queryPages } from "../db/query";
import { invalidateLiveConfig, type LiveEntry, liveKey, liveSnapshotPut } from "../records/live";
import {
  type LeaderboardConfiguration,
  type LeaderboardInstance,
  type LeaderboardSeries,
  leaderboardConfigurationSchema,
  leaderboardInstanceSchema,
} from "./model";
import type { ScoreState } from "./store";

/**
 * DynamoDB items of leaderboards (the source of truth; Redis is derived from them):
 *
 *   configuration  pk WS#<ws>            sk LBCFG#<configId>
 *   series         pk WS#<ws>            sk LBSERIES#<seriesId>   gsi2pk WS#<ws>#LBSERIES (open series only)
 *   open series    pk WS#<ws>#LIVE       sk leaderboardSeries#<seriesId>  — the engine's cached live
 *                  configuration (engine/live-config.ts): what the event consumer scores on
 *   instance       pk WS#<ws>            sk LB#<instanceId>       gsi1pk WS#<ws>#LBSERIES#<seriesId>, gsi1sk <startsAt>
 *   score          pk WS#<ws>#LB#<instanceId>  sk U#<userId>   {score, reachedAtMs, version, displayName, image, ttl}
 *   event marker   pk WS#<ws>#LB#<instanceId>  sk E#<eventId>  {ttl}  — an event counts once per instance
 */
const ws = (workspaceId: string) => workspacePk({ workspaceId });
export const scoresPk = (workspaceId: string, instanceId: string) => PK.leaderboardScores(workspaceId, instanceId);

/** Event markers outlive any plausible retry of the event. */
export const EVENT_MARKER_TTL_SECONDS = 35 * 24 * 3600;
/**
 * Score items of ended instances stay queryable (and rebuildable) this long after the end
 * (`leaderboards/ended-retention-days`, 400 days by default).
 */
export function endedRetentionSeconds(): number {
  return coreConfig().leaderboardEndedRetentionDays * 24 * 3600;
}
/**
 * Redis keys of ended instances expire this long after the end; a later read rebuilds them
 * (`leaderboards/redis-ended-retention-days`, 30 days by default).
 */
export function redisEndedRetentionSeconds(): number {
  return coreConfig().leaderboardRedisRetentionDays * 24 * 3600;
}

function notFound(what: string, id: string) {
  return new QuestlineError("resource.not_found", `${what} ${id} not found`);
}

function strip<T>(item: Record<string, unknown> | undefined): T | null {
  if (!item) return null;
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...rest } = item;
  return rest as T;
}

export async function putConfiguration(config: LeaderboardConfiguration, mode: "create" | "replace"): Promise<void> {
  try {
    await documentDb().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          pk: ws(config.workspaceId),
          sk: sortKey(SK.leaderboardConfiguration, config.runtimeLeaderboardConfigurationId),
          ...config,
        },
        ConditionExpression: mode === "create" ? "attribute_not_exists(pk)" : "attribute_exists(pk)",
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) {
      throw mode === "create"
        ? new QuestlineError("resource.conflict", `Configuration ${config.runtimeLeaderboardConfigurationId} exists`)
        : notFound("Leaderboard configuration", config.runtimeLeaderboardConfigurationId);
    }
    throw err;
  }
}

export async function getConfiguration(workspaceId: string, id: string): Promise<LeaderboardConfiguration> {
  const out = await documentDb().send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: ws(workspaceId), sk: sortKey(SK.leaderboardConfiguration, id) },
      ConsistentRead: true,
    }),
  );
  if (!out.Item) throw notFound("Leaderboard configuration", id);
  return toConfiguration(out.Item);
}

function toConfiguration(item: Record<string, unknown>): LeaderboardConfiguration {
  return parseItem(leaderboardConfigurationSchema, item, "leaderboard configuration");
}

async function queryPage<T>(input: {
  parse: (item: Record<string, unknown>) => T;
  pk: string;
  prefix?: string;
  index?: "gsi1" | "gsi2";
  limit: number;
  nextToken?: string | undefined;
}): Promise<{ items: T[]; nextToken?: string }> {
  const keyAttr = input.index ? `${input.index}pk` : "pk";
  const out = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      ...(input.index ? { IndexName: input.index } : {}),
      KeyConditionExpression: input.prefix ? `${keyAttr} = :pk AND begins_with(sk, :prefix)` : `${keyAttr} = :pk`,
      ExpressionAttributeValues: { ":pk": input.pk, ...(input.prefix ? { ":prefix": input.prefix } : {}) },
      Limit: input.limit,
      ExclusiveStartKey: input.index ? undefined : decodeNextToken(input.nextToken, input.pk),
    }),
  );
  const nextToken = input.index ? undefined : encodeNextToken(out.LastEvaluatedKey);
  return {
    items: (out.Items ?? []).map(input.parse),
    ...(nextToken ? { nextToken } : {}),
  };
}

export function listConfigurations(workspaceId: string, limit: number, nextToken?: string) {
  return queryPage({
    parse: toConfiguration,
    pk: ws(workspaceId),
    prefix: sortKeyPrefix(SK.leaderboardConfiguration),
    limit,
    nextToken,
  });
}

function liveSeriesEntry(series: LeaderboardSeries): LiveEntry<LeaderboardSeries> {
  return { kind: "leaderboardSeries", id: series.seriesId, version: 1, data: series };
}

/**
 * Stores a series; an open one is also written to the workspace's live configuration in the
 * same transaction, which is where the event consumer finds it (no read per event).
 */
export async function putSeries(series: LeaderboardSeries, open: boolean): Promise<void> {
  const put = {
    TableName: tableName(),
    Item: {
      pk: ws(series.workspaceId),
      sk: sortKey(SK.leaderboardSeries, series.seriesId),
      ...(open ? { gsi2pk: INDEX_PK.openSeries(series.workspaceId), gsi2sk: series.seriesId } : {}),
      ...series,
    },
    ConditionExpression: "attribute_not_exists(pk)",
  };
  if (!open) {
    await documentDb().send(new PutCommand(put));
    return;
  }
  await documentDb().send(
    new TransactWriteCommand({
      TransactItems: [{ Put: put }, { Put: liveSnapshotPut(series.workspaceId, liveSeriesEntry(series)) }],
    }),
  );
  invalidateLiveConfig(series.workspaceId);
}

/** Writes the live entry of an open series stored before series were part of the live configuration. */
export async function putLiveSeries(series: LeaderboardSeries): Promise<void> {
  await documentDb().send(new PutCommand(liveSnapshotPut(series.workspaceId, liveSeriesEntry(series))));
  invalidateLiveConfig(series.workspaceId);
}

export async function getSeries(workspaceId: string, seriesId: string): Promise<LeaderboardSeries | null> {
  const out = await documentDb().send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: ws(workspaceId), sk: sortKey(SK.leaderboardSeries, seriesId) },
    }),
  );
  return strip<LeaderboardSeries>(out.Item);
}

/** Series whose timeframe has not ended (a sparse index: closing a series drops it). */
export async function listOpenSeries(workspaceId: string): Promise<LeaderboardSeries[]> {
  const items = await queryAll({
    IndexName: "gsi2",
    KeyConditionExpression: "gsi2pk = :pk",
    ExpressionAttributeValues: { ":pk": INDEX_PK.openSeries(workspaceId) },
  });
  return items.map((item) => strip<LeaderboardSeries>(item) as LeaderboardSeries);
}

/** Closes a series: off the open-series index and out of the live configuration, together. */
export async function closeSeries(workspaceId: string, seriesId: string): Promise<void> {
  await documentDb()
    .send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName(),
              Key: { pk: ws(workspaceId), sk: sortKey(SK.leaderboardSeries, seriesId) },
              UpdateExpression: "REMOVE gsi2pk, gsi2sk",
            },
          },
          { Delete: { TableName: tableName(), Key: liveKey(workspaceId, "leaderboardSeries", seriesId) } },
        ],
      }),
    )
    .catch((err: unknown) => {
      // Another request is closing the same series; whoever wins, it ends up closed.
      if (!(err instanceof TransactionCanceledException)) throw err;
    });
  invalidateLiveConfig(workspaceId);
}

/** Creates the instance of a period unless it exists (concurrent callers agree on the id). */
export async function ensureInstance(instance: LeaderboardInstance): Promise<boolean> {
  try {
    await documentDb().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          pk: ws(instance.workspaceId),
          sk: sortKey(SK.leaderboardInstance, instance.runtimeLeaderboardId),
          gsi1pk: INDEX_PK.seriesInstances(instance.workspaceId, instance.seriesId),
          gsi1sk: `${instance.timeframeStartsAt}#${instance.runtimeLeaderboardId}`,
          ...instance,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

export interface StoredInstance extends LeaderboardInstance {
  /** Set when a Redis write failed: the next read rebuilds the board from DynamoDB. */
  redisStaleSince?: string;
}

const storedInstanceSchema = leaderboardInstanceSchema.extend({
  redisStaleSince: z.string().optional(),
}) satisfies z.ZodType<StoredInstance>;

function toInstance(item: Record<string, unknown>): StoredInstance {
  return parseItem(storedInstanceSchema, item, "leaderboard instance");
}

export async function getInstance(workspaceId: string, id: string): Promise<StoredInstance | null> {
  const out = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: { pk: ws(workspaceId), sk: sortKey(SK.leaderboardInstance, id) } }),
  );
  return out.Item ? toInstance(out.Item) : null;
}

export function listInstances(workspaceId: string, limit: number, nextToken?: string) {
  return queryPage({
    parse: toInstance,
    pk: ws(workspaceId),
    prefix: sortKeyPrefix(SK.leaderboardInstance),
    limit,
    nextToken,
  });
}

export async function markRedisStale(workspaceId: string, id: string, at: string): Promise<void> {
  await documentDb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: ws(workspaceId), sk: sortKey(SK.leaderboardInstance, id) },
      UpdateExpression: "SET redisStaleSince = if_not_exists(redisStaleSince, :at)",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":at": at },
    }),
  );
}

export async function clearRedisStale(workspaceId: string, id: string, since: string): Promise<void> {
  try {
    await documentDb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: ws(workspaceId), sk: sortKey(SK.leaderboardInstance, id) },
        UpdateExpression: "REMOVE redisStaleSince",
        ConditionExpression: "redisStaleSince = :since",
        ExpressionAttributeValues: { ":since": since },
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
}

export interface ScoreIncrement {
  workspaceId: string;
  instanceId: string;
  eventId: string;
  userId: string;
  delta: number;
  reachedAtMs: number;
  displayName?: string | undefined;
  image?: string | undefined;
  /** Epoch seconds after which the score item may expire (instances with an end). */
  ttl?: number | undefined;
}

/**
 * Adds an event's points to a user's score exactly once: the event marker and the increment
 * commit together, so a retried event changes nothing. Returns false for a duplicate.
 */
/** Update params adding `delta` to a user's score (also used inside the event pipeline's transaction). */
export function scoreIncrementUpdate(inc: Omit<ScoreIncrement, "eventId">) {
  const sets = ["reachedAtMs = :reached"];
  const values: Record<string, unknown> = { ":delta": inc.delta, ":one": 1, ":reached": inc.reachedAtMs };
  if (inc.displayName) {
    sets.push("displayName = :name");
    values[":name"] = inc.displayName;
  }
  if (inc.image) {
    sets.push("image = :image");
    values[":image"] = inc.image;
  }
  if (inc.ttl) {
    sets.push("#ttl = :ttl");
    values[":ttl"] = inc.ttl;
  }
  return {
    TableName: tableName(),
    Key: { pk: scoresPk(inc.workspaceId, inc.instanceId), sk: sortKey(SK.score, inc.userId) },
    UpdateExpression: `SET ${sets.join(", ")} ADD score :delta, version :one`,
    ...(inc.ttl ? { ExpressionAttributeNames: { "#ttl": "ttl" } } : {}),
    ExpressionAttributeValues: values,
  };
}

/** Update params creating an instance item unless it exists (no condition: safe in a transaction). */
export function instanceUpsertUpdate(instance: LeaderboardInstance) {
  const item: Record<string, unknown> = {
    gsi1pk: INDEX_PK.seriesInstances(instance.workspaceId, instance.seriesId),
    gsi1sk: `${instance.timeframeStartsAt}#${instance.runtimeLeaderboardId}`,
    ...instance,
  };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(item).map(([key, value], i) => {
    names[`#a${i}`] = key;
    values[`:v${i}`] = value;
    return `#a${i} = if_not_exists(#a${i}, :v${i})`;
  });
  return {
    TableName: tableName(),
    Key: { pk: ws(instance.workspaceId), sk: sortKey(SK.leaderboardInstance, instance.runtimeLeaderboardId) },
    UpdateExpression: `SET ${sets.join(", ")}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * Adds an event's points to a user's score exactly once outside the event pipeline: an event
 * marker and the increment commit together, so a retried event changes nothing. Returns false
 * for a duplicate. (Inside the pipeline the log item plays the marker's role.)
 */
export async function incrementScore(inc: ScoreIncrement, nowSeconds: number): Promise<boolean> {
  const pk = scoresPk(inc.workspaceId, inc.instanceId);
  try {
    await documentDb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: {
                pk,
                sk: sortKey(SK.scoreEvent, inc.eventId),
                userId: inc.userId,
                ttl: nowSeconds + EVENT_MARKER_TTL_SECONDS,
              },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          { Update: scoreIncrementUpdate(inc) },
        ],
      }),
    );
    return true;
  } catch (err) {
    if (
      err instanceof TransactionCanceledException &&
      err.CancellationReasons?.[0]?.Code === "ConditionalCheckFailed"
    ) {
      return false;
    }
    throw err;
  }
}

function toScoreState(item: Record<string, unknown>): ScoreState {
  return {
    userId: String(item.sk).slice(2),
    score: Number(item.score ?? 0),
    reachedAtMs: Number(item.reachedAtMs ?? 0),
    version: Number(item.version ?? 0),
    ...(typeof item.displayName === "string" ? { displayName: item.displayName } : {}),
    ...(typeof item.image === "string" ? { image: item.image } : {}),
  };
}

export async function getScore(workspaceId: string, instanceId: string, userId: string): Promise<ScoreState | null> {
  const out = await documentDb().send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: scoresPk(workspaceId, instanceId), sk: sortKey(SK.score, userId) },
      ConsistentRead: true,
    }),
  );
  return out.Item ? toScoreState(out.Item) : null;
}

/** Every score of an instance, page by page (the rebuild's input). */
export async function* scanScores(
  workspaceId: string,
  instanceId: string,
  pageSize = 1_000,
): AsyncGenerator<ScoreState[]> {
  for await (const items of queryPages({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :u)",
    ExpressionAttributeValues: { ":pk": scoresPk(workspaceId, instanceId), ":u": sortKeyPrefix(SK.score) },
    ConsistentRead: true,
    Limit: pageSize,
  })) {
    yield items.map(toScoreState);
  }
}

export async function countScores(workspaceId: string, instanceId: string): Promise<number> {
  return countAll(partitionPrefix(scoresPk(workspaceId, instanceId), sortKeyPrefix(SK.score)));
}
