import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import {
  type CatalogDocument,
  type CatalogItemType,
  catalogDocumentSchema,
  QuestlineError,
} from "@questline/contracts";
import type { z } from "zod";
import { documentDb, tableName } from "./client";
import { ENTITY_SK_PREFIX, type EntityRef, entityKey, tombstoneKey, workspacePk } from "./keys";
import { decodeNextToken, encodeNextToken } from "./pagination";

/**
 * Versioned, tenant-scoped persistence for catalog-indexed entities (docs/foundation.md).
 *
 * Every such item has the same envelope, which the stream handler (src/sync) relies on:
 * `pk`, `sk`, `workspaceId`, `entityType` (a CATALOG_ITEM_TYPES value), `entityId`,
 * `version` (1 on create, +1 on every change, conditioned on the previous value),
 * `createdAt`, `updatedAt`, `catalog` (the precomputed CatalogDocument the edge indexes) and
 * `data` (the domain record). Optional GSI attributes sit beside them.
 */
export interface VersionedItem<T> {
  pk: string;
  sk: string;
  workspaceId: string;
  entityType: CatalogItemType;
  entityId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  catalog: CatalogDocument;
  data: T;
  gsi1pk?: string;
  gsi1sk?: string;
  gsi2pk?: string;
  gsi2sk?: string;
}

export type GsiAttributes = Partial<Pick<VersionedItem<unknown>, "gsi1pk" | "gsi1sk" | "gsi2pk" | "gsi2sk">>;

/** One item of a TransactWriteItems request. */
export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/**
 * Writes that must happen together with a version (e.g. a LIVE snapshot of a published
 * container): given the new item (null on delete), they join the same transaction.
 */
export type CompanionWrites<T> = (item: VersionedItem<T> | null) => TransactItem[];

/** The catalog document without its timestamps (the envelope's are copied in). */
export type CatalogInput = Omit<z.input<typeof catalogDocumentSchema>, "createdAt" | "updatedAt">;

/** What a domain module supplies for a new item or a new version. */
export interface VersionedContent<T> {
  data: T;
  catalog: CatalogInput;
  indexes?: GsiAttributes;
}

/** Context given to content builders: the version and timestamps the item is about to get. */
export interface VersionMeta {
  version: number;
  createdAt: string;
  updatedAt: string;
}

function buildItem<T>(ref: EntityRef, meta: VersionMeta, content: VersionedContent<T>): VersionedItem<T> {
  const catalog = catalogDocumentSchema.parse({
    ...content.catalog,
    createdAt: meta.createdAt,
    updatedAt: meta.updatedAt,
  });
  return {
    ...entityKey(ref),
    workspaceId: ref.workspaceId,
    entityType: ref.entityType,
    entityId: ref.entityId,
    ...meta,
    catalog,
    data: content.data,
    ...content.indexes,
  };
}

function isConditionFailure(err: unknown): boolean {
  return (
    err instanceof ConditionalCheckFailedException ||
    (err instanceof TransactionCanceledException &&
      (err.CancellationReasons ?? []).some((r) => r.Code === "ConditionalCheckFailed"))
  );
}

function conflict(ref: EntityRef, message: string): QuestlineError {
  return new QuestlineError("resource.conflict", message, {
    details: [{ path: "version", message: `${ref.entityType} ${ref.entityId} changed concurrently` }],
  });
}

export function notFound(ref: EntityRef): QuestlineError {
  return new QuestlineError("resource.not_found", `${ref.entityType} ${ref.entityId} not found`);
}

/**
 * Put parameters for a new item (version 1, fails if the key exists). Use with PutCommand or
 * inside a TransactWriteCommand (`{ Put: newVersionedPut(item) }`).
 */
export function newVersionedPut<T>(item: VersionedItem<T>) {
  return {
    TableName: tableName(),
    Item: item,
    ConditionExpression: "attribute_not_exists(pk)",
  };
}

/** Put parameters replacing version `expectedVersion` with `item` (whose version is expected + 1). */
export function nextVersionPut<T>(item: VersionedItem<T>, expectedVersion: number) {
  return {
    TableName: tableName(),
    Item: item,
    ConditionExpression: "#version = :expected",
    ExpressionAttributeNames: { "#version": "version" },
    ExpressionAttributeValues: { ":expected": expectedVersion },
  };
}

/**
 * Builds a version-1 item, for a transaction with `newVersionedPut`. Only for ids that were
 * never used before (fresh nanoids); a client-chosen id may have been deleted and must go
 * through `prepareNewVersioned`/`putNewVersioned`, which continue above the old version.
 */
export function buildNewVersioned<T>(ref: EntityRef, content: VersionedContent<T>, now = new Date()): VersionedItem<T> {
  const at = now.toISOString();
  return buildItem(ref, { version: 1, createdAt: at, updatedAt: at }, content);
}

interface Tombstone {
  pk: string;
  sk: string;
  deletedVersion: number;
}

/**
 * A new item plus the transaction items that create it: the item (must not exist) and a
 * check that the id's tombstone is unchanged. After a delete the index keeps a tombstone at
 * `old + 1`, so a re-created id starts at `old + 2`; otherwise at 1.
 */
export async function prepareNewVersioned<T>(ref: EntityRef, content: VersionedContent<T>, now = new Date()) {
  const tombKey = tombstoneKey(ref);
  const out = await documentDb().send(new GetCommand({ TableName: tableName(), Key: tombKey, ConsistentRead: true }));
  const tombstone = out.Item as Tombstone | undefined;
  const at = now.toISOString();
  const version = tombstone ? tombstone.deletedVersion + 1 : 1;
  const item = buildItem(ref, { version, createdAt: at, updatedAt: at }, content);
  const tombstoneCheck = {
    TableName: tableName(),
    Key: tombKey,
    ...(tombstone
      ? {
          ConditionExpression: "deletedVersion = :seen",
          ExpressionAttributeValues: { ":seen": tombstone.deletedVersion },
        }
      : { ConditionExpression: "attribute_not_exists(pk)" }),
  };
  return { item, transactItems: [{ Put: newVersionedPut(item) }, { ConditionCheck: tombstoneCheck }] };
}

/** Creates an item (version 1, or above a deleted predecessor). An existing id → 409 `resource.conflict`. */
export async function putNewVersioned<T>(
  ref: EntityRef,
  content: VersionedContent<T>,
  now = new Date(),
  companions?: CompanionWrites<T>,
): Promise<VersionedItem<T>> {
  const { item, transactItems } = await prepareNewVersioned(ref, content, now);
  try {
    await documentDb().send(
      new TransactWriteCommand({ TransactItems: [...transactItems, ...(companions?.(item) ?? [])] }),
    );
  } catch (err) {
    if (isConditionFailure(err)) throw conflict(ref, `${ref.entityType} ${ref.entityId} already exists`);
    throw err;
  }
  return item;
}

export async function getVersioned<T>(ref: EntityRef): Promise<VersionedItem<T> | null> {
  const out = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: entityKey(ref), ConsistentRead: true }),
  );
  return (out.Item as VersionedItem<T> | undefined) ?? null;
}

/** Like getVersioned, but a missing item (or one in another workspace) → 404 `resource.not_found`. */
export async function requireVersioned<T>(ref: EntityRef): Promise<VersionedItem<T>> {
  const item = await getVersioned<T>(ref);
  if (!item) throw notFound(ref);
  return item;
}

/**
 * Writes the next version of an item: reads it (404 when missing), checks `expectedVersion`
 * when given (else the version just read), calls `mutate` with the current item and the new
 * version's meta, and puts the result conditioned on the previous version. A lost race or a
 * stale `expectedVersion` → 409 `resource.conflict`.
 */
export async function updateVersioned<T>(
  ref: EntityRef,
  expectedVersion: number | undefined,
  mutate: (current: VersionedItem<T>, next: VersionMeta) => VersionedContent<T>,
  now = new Date(),
  companions?: CompanionWrites<T>,
): Promise<VersionedItem<T>> {
  const current = await requireVersioned<T>(ref);
  const expected = expectedVersion ?? current.version;
  if (current.version !== expected) {
    throw conflict(ref, `${ref.entityType} ${ref.entityId} is at version ${current.version}, not ${expected}`);
  }
  const meta: VersionMeta = { version: expected + 1, createdAt: current.createdAt, updatedAt: now.toISOString() };
  const item = buildItem(ref, meta, mutate(current, meta));
  const also = companions?.(item) ?? [];
  try {
    if (also.length) {
      await documentDb().send(
        new TransactWriteCommand({ TransactItems: [{ Put: nextVersionPut(item, expected) }, ...also] }),
      );
    } else {
      await documentDb().send(new PutCommand(nextVersionPut(item, expected)));
    }
  } catch (err) {
    if (isConditionFailure(err)) throw conflict(ref, `${ref.entityType} ${ref.entityId} was changed concurrently`);
    throw err;
  }
  return item;
}

/**
 * Deletes an item (404 when missing; 409 when `expectedVersion` is given and stale, or on a
 * concurrent change) and records its tombstone version in the same transaction. The
 * stream's REMOVE record carries the delete to the catalog index (with version old + 1).
 */
export async function deleteVersioned<T>(
  ref: EntityRef,
  expectedVersion?: number,
  companions?: CompanionWrites<T>,
): Promise<VersionedItem<T>> {
  const current = await requireVersioned<T>(ref);
  if (expectedVersion !== undefined && current.version !== expectedVersion) {
    throw conflict(ref, `${ref.entityType} ${ref.entityId} is at version ${current.version}, not ${expectedVersion}`);
  }
  const tombstone: Tombstone = { ...tombstoneKey(ref), deletedVersion: current.version + 1 };
  try {
    await documentDb().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: tableName(),
              Key: entityKey(ref),
              ConditionExpression: "#version = :expected",
              ExpressionAttributeNames: { "#version": "version" },
              ExpressionAttributeValues: { ":expected": current.version },
            },
          },
          { Put: { TableName: tableName(), Item: tombstone } },
          ...(companions?.(null) ?? []),
        ],
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) {
      if (!(await getVersioned(ref))) throw notFound(ref);
      throw conflict(ref, `${ref.entityType} ${ref.entityId} was changed concurrently`);
    }
    throw err;
  }
  return current;
}

export interface Page<T> {
  items: VersionedItem<T>[];
  nextToken?: string;
}

/** Lists one entity type of a workspace in id order (`pk = WS#…`, `begins_with(sk, "<TYPE>#")`). */
export async function listVersioned<T>(
  scope: { workspaceId: string },
  entityType: CatalogItemType,
  options: { limit: number; nextToken?: string | undefined },
): Promise<Page<T>> {
  const pk = workspacePk(scope);
  const out = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": pk, ":prefix": `${ENTITY_SK_PREFIX[entityType]}#` },
      Limit: options.limit,
      ExclusiveStartKey: decodeNextToken(options.nextToken, pk),
    }),
  );
  const nextToken = encodeNextToken(out.LastEvaluatedKey);
  return { items: (out.Items ?? []) as VersionedItem<T>[], ...(nextToken ? { nextToken } : {}) };
}
