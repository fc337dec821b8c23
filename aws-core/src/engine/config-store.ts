import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { type CatalogItemType, catalogDocumentSchema, QuestlineError } from "@questline/contracts";
import { documentDb, tableName } from "../db/client";
import { ENTITY_SK_PREFIX, entityRef, tombstoneKey, workspacePk } from "../db/keys";
import { decodeNextToken, encodeNextToken } from "../db/pagination";
import { type CatalogInput, newVersionedPut, nextVersionPut, type VersionedItem } from "../db/versioned";
import {
  type ConfigKind,
  invalidateLiveConfig,
  type LiveEntry,
  liveKey,
  liveSnapshotPut,
  loadLiveConfig,
} from "../records/live";

/**
 * Persistence of the engine's configuration records (drafts). Catalog-indexed kinds
 * (activity, virtualCurrency, badgeConfiguration, missionConfiguration) use the foundation's
 * versioned envelope (`entityType`, `entityId`, `version`, `catalog`, `data`) so the stream
 * handler indexes them at the edge; the others (tag, rewardRule, missionRule) use the same
 * envelope without `catalog`/`entityType` (`configType` instead), so the indexer ignores them.
 * Every write is conditioned on the previous `version`.
 */
export const CATALOG_TYPE_OF: Partial<Record<ConfigKind, CatalogItemType>> = {
  activity: "activity",
  virtualCurrency: "virtualCurrency",
  badgeConfiguration: "badgeConfiguration",
  missionConfiguration: "missionConfiguration",
};

const OWN_SK_PREFIX: Record<ConfigKind, string> = {
  activity: ENTITY_SK_PREFIX.activity,
  virtualCurrency: ENTITY_SK_PREFIX.virtualCurrency,
  badgeConfiguration: ENTITY_SK_PREFIX.badgeConfiguration,
  missionConfiguration: ENTITY_SK_PREFIX.missionConfiguration,
  tag: "TAG",
  rewardRule: "REWARDRULE",
  missionRule: "MISSIONRULE",
  streakConfiguration: "STREAKCFG",
  streakRule: "STREAKRULE",
  leaderboardSeries: "LBSERIES",
  groupMission: "GROUPMISSION",
  learningPath: ENTITY_SK_PREFIX.learningPath,
  learningGroup: ENTITY_SK_PREFIX.learningGroup,
};

export interface ConfigRecord<T> {
  kind: ConfigKind;
  id: string;
  workspaceId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  data: T;
}

interface StoredItem<T> extends ConfigRecord<T> {
  pk: string;
  sk: string;
}

export function configKey(workspaceId: string, kind: ConfigKind, id: string) {
  return { pk: workspacePk({ workspaceId }), sk: `${OWN_SK_PREFIX[kind]}#${id}` };
}

function toRecord<T>(kind: ConfigKind, item: Record<string, unknown>): ConfigRecord<T> {
  const id = (item.entityId ?? item.configId) as string;
  return {
    kind,
    id,
    workspaceId: item.workspaceId as string,
    version: item.version as number,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    data: item.data as T,
  };
}

function toItem<T>(
  record: ConfigRecord<T>,
  catalog: ((data: T) => CatalogInput) | undefined,
): StoredItem<T> | VersionedItem<T> {
  const key = configKey(record.workspaceId, record.kind, record.id);
  const catalogType = CATALOG_TYPE_OF[record.kind];
  if (catalogType) {
    if (!catalog) throw new Error(`${record.kind} needs a catalog document`);
    return {
      ...key,
      workspaceId: record.workspaceId,
      entityType: catalogType,
      entityId: record.id,
      version: record.version,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      catalog: catalogDocumentSchema.parse({
        ...catalog(record.data),
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
      }),
      data: record.data,
    };
  }
  return { ...key, configType: record.kind, configId: record.id, ...record } as StoredItem<T>;
}

function isConditionFailure(err: unknown): boolean {
  return (
    err instanceof ConditionalCheckFailedException ||
    (err instanceof TransactionCanceledException &&
      (err.CancellationReasons ?? []).some((r) => r.Code === "ConditionalCheckFailed"))
  );
}

export function configNotFound(kind: ConfigKind, id: string): QuestlineError {
  return new QuestlineError("resource.not_found", `${kind} ${id} not found`);
}

export async function createConfig<T>(
  workspaceId: string,
  kind: ConfigKind,
  id: string,
  data: T,
  catalog?: (data: T) => CatalogInput,
  now = new Date(),
): Promise<ConfigRecord<T>> {
  const at = now.toISOString();
  const catalogType = CATALOG_TYPE_OF[kind];
  // A catalog id deleted before continues above the index's tombstone (docs/foundation.md).
  const tombKey = catalogType ? tombstoneKey(entityRef({ workspaceId }, catalogType, id)) : undefined;
  const tombstone = tombKey
    ? ((await documentDb().send(new GetCommand({ TableName: tableName(), Key: tombKey, ConsistentRead: true }))).Item as
        | { deletedVersion: number }
        | undefined)
    : undefined;
  const version = tombstone ? tombstone.deletedVersion + 1 : 1;
  const record: ConfigRecord<T> = { kind, id, workspaceId, version, createdAt: at, updatedAt: at, data };
  const put = newVersionedPut(toItem(record, catalog) as VersionedItem<T>);
  try {
    if (tombKey) {
      const check = tombstone
        ? { ConditionExpression: "deletedVersion = :seen", ExpressionAttributeValues: { ":seen": version - 1 } }
        : { ConditionExpression: "attribute_not_exists(pk)" };
      await documentDb().send(
        new TransactWriteCommand({
          TransactItems: [{ Put: put }, { ConditionCheck: { TableName: tableName(), Key: tombKey, ...check } }],
        }),
      );
    } else {
      await documentDb().send(new PutCommand(put));
    }
  } catch (err) {
    if (isConditionFailure(err)) throw new QuestlineError("resource.conflict", `${kind} ${id} already exists`);
    throw err;
  }
  return record;
}

export async function getConfig<T>(workspaceId: string, kind: ConfigKind, id: string): Promise<ConfigRecord<T> | null> {
  const out = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: configKey(workspaceId, kind, id), ConsistentRead: true }),
  );
  return out.Item ? toRecord<T>(kind, out.Item) : null;
}

export async function requireConfig<T>(workspaceId: string, kind: ConfigKind, id: string): Promise<ConfigRecord<T>> {
  const record = await getConfig<T>(workspaceId, kind, id);
  if (!record) throw configNotFound(kind, id);
  return record;
}

export async function listConfig<T>(
  workspaceId: string,
  kind: ConfigKind,
  options: { limit: number; nextToken?: string | undefined },
): Promise<{ items: ConfigRecord<T>[]; nextToken?: string }> {
  const pk = workspacePk({ workspaceId });
  const out = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": pk, ":prefix": `${OWN_SK_PREFIX[kind]}#` },
      Limit: options.limit,
      ExclusiveStartKey: decodeNextToken(options.nextToken, pk),
    }),
  );
  const nextToken = encodeNextToken(out.LastEvaluatedKey);
  return {
    items: (out.Items ?? []).map((item) => toRecord<T>(kind, item)),
    ...(nextToken ? { nextToken } : {}),
  };
}

/** What an update produces: the new data, and whether the live snapshot is replaced with it. */
export interface ConfigChange<T> {
  data: T;
  /** `true`: write the new version as the live snapshot (publish, archive, unarchive). */
  live?: boolean;
}

/**
 * Writes the next version (conditioned on the current one; a lost race → 409
 * `resource.conflict`). With `live`, the LIVE snapshot is written in the same transaction.
 */
export async function updateConfig<T>(
  workspaceId: string,
  kind: ConfigKind,
  id: string,
  mutate: (current: ConfigRecord<T>) => ConfigChange<T> | Promise<ConfigChange<T>>,
  catalog?: (data: T) => CatalogInput,
  expectedVersion?: number,
  now = new Date(),
): Promise<ConfigRecord<T>> {
  const current = await requireConfig<T>(workspaceId, kind, id);
  if (expectedVersion !== undefined && current.version !== expectedVersion) {
    throw new QuestlineError(
      "resource.conflict",
      `${kind} ${id} is at version ${current.version}, not ${expectedVersion}`,
    );
  }
  const change = await mutate(current);
  const next: ConfigRecord<T> = {
    ...current,
    version: current.version + 1,
    updatedAt: now.toISOString(),
    data: change.data,
  };
  const put = nextVersionPut(toItem(next, catalog) as VersionedItem<T>, current.version);
  try {
    if (change.live) {
      const entry: LiveEntry<T> = { kind, id, version: next.version, data: next.data };
      await documentDb().send(
        new TransactWriteCommand({ TransactItems: [{ Put: put }, { Put: liveSnapshotPut(workspaceId, entry) }] }),
      );
      invalidateLiveConfig(workspaceId);
    } else {
      await documentDb().send(new PutCommand(put));
    }
  } catch (err) {
    if (isConditionFailure(err))
      throw new QuestlineError("resource.conflict", `${kind} ${id} was changed concurrently`);
    throw err;
  }
  return next;
}

/** The live snapshot of one configuration (what the engine currently runs), if published. */
export async function getLive<T>(workspaceId: string, kind: ConfigKind, id: string): Promise<LiveEntry<T> | null> {
  const out = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: liveKey(workspaceId, kind, id), ConsistentRead: true }),
  );
  return (out.Item as LiveEntry<T> | undefined) ?? null;
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

/**
 * Deletes a configuration. One that never went live is simply removed. One that is live
 * (published or archived) is removed together with its live snapshot — the engine stops
 * running it — unless live configurations reference it: then 409 `resource.conflict` naming
 * them (unpublish or change those first). Users' state (missions, balances, badges, logs) is
 * kept. Catalog kinds leave a tombstone so the edge index drops the item and a re-created id
 * continues above it.
 */
export async function deleteConfig(
  workspaceId: string,
  kind: ConfigKind,
  id: string,
  expectedVersion?: number,
): Promise<void> {
  const current = await requireConfig<{ state?: string }>(workspaceId, kind, id);
  if (expectedVersion !== undefined && current.version !== expectedVersion) {
    throw new QuestlineError(
      "resource.conflict",
      `${kind} ${id} is at version ${current.version}, not ${expectedVersion}`,
    );
  }
  const everLive = current.data.state !== "DRAFT" || (await getLive(workspaceId, kind, id)) !== null;
  if (everLive) {
    const references = await liveReferencesTo(workspaceId, kind, id);
    if (references.length) {
      throw new QuestlineError(
        "resource.conflict",
        `${kind} ${id} is used by ${references.length} live configuration(s); change or delete them first`,
        { details: references.map((r) => ({ path: `${r.kind}/${r.id}`, message: `references ${kind} ${id}` })) },
      );
    }
  }
  const catalogType = CATALOG_TYPE_OF[kind];
  const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]> = [
    {
      Delete: {
        TableName: tableName(),
        Key: configKey(workspaceId, kind, id),
        ConditionExpression: "#version = :expected",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":expected": current.version },
      },
    },
    { Delete: { TableName: tableName(), Key: liveKey(workspaceId, kind, id) } },
  ];
  if (catalogType) {
    const tomb = tombstoneKey(entityRef({ workspaceId }, catalogType, id));
    items.push({ Put: { TableName: tableName(), Item: { ...tomb, deletedVersion: current.version + 1 } } });
  }
  try {
    await documentDb().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (err) {
    if (isConditionFailure(err))
      throw new QuestlineError("resource.conflict", `${kind} ${id} was changed concurrently`);
    throw err;
  }
  invalidateLiveConfig(workspaceId);
}
