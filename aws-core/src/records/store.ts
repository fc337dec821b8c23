import { GetCommand, PutCommand, TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { type CatalogDocument, catalogDocumentSchema, QuestlineError } from "@questline/contracts";
import { z } from "zod";
import { documentDb, tableName } from "../db/client";
import { isConditionFailure } from "../db/conditions";
import { parseItem, parseItems } from "../db/items";
import { workspacePk } from "../db/keys";
import { decodeNextToken, encodeNextToken } from "../db/pagination";
import { partitionPrefix, queryPage } from "../db/query";
import { catalogTypeOf, type RecordKind, type RecordRef, recordKey, recordSkPrefix, tombstoneKey } from "./kinds";

/**
 * The versioned-record store: every configuration and content record of a workspace
 * (`records/kinds.ts`). Records are versioned — 1 on create (or above a deleted
 * predecessor's tombstone), +1 on every change, each write conditioned on the previous
 * version (a lost race or a stale `If-Match` → 409 `resource.conflict`).
 *
 * Stored envelope, which the stream handler (src/sync) relies on:
 *   catalog kinds — `pk`, `sk`, `workspaceId`, `entityType`, `entityId`, `version`,
 *     `createdAt`, `updatedAt`, `catalog` (the CatalogDocument the edge indexes), `data`;
 *   other kinds   — `pk`, `sk`, `configType`, `configId`, `kind`, `id`, `workspaceId`,
 *     `version`, `createdAt`, `updatedAt`, `data` (ignored by the indexer).
 * Optional GSI attributes sit beside them. Writes that must happen with a version (the LIVE
 * snapshot of a publish, a container's live structure) join its transaction as companions.
 */
export interface StoredRecord<T> {
  kind: RecordKind;
  id: string;
  workspaceId: string;
  /** The workspace's account (absent on records written before accounts were recorded). */
  accountId?: string;
  /** The region that created the record (global tables replicate it elsewhere). */
  sourceRegion: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  data: T;
  /** Catalog kinds: the document the edge indexes. */
  catalog?: CatalogDocument;
}

/** A catalog kind's record, whose catalog document is always present. */
export type CatalogRecord<T> = StoredRecord<T> & { catalog: CatalogDocument };

export type GsiAttributes = Partial<Record<"gsi1pk" | "gsi1sk" | "gsi2pk" | "gsi2sk", string>>;

/** The catalog document without its timestamps (the envelope's are copied in). */
export type CatalogInput = Omit<z.input<typeof catalogDocumentSchema>, "createdAt" | "updatedAt">;

/** What a domain module supplies for a new record or a new version. */
export interface RecordContent<T> {
  data: T;
  /** Required for catalog kinds. */
  catalog?: CatalogInput;
  indexes?: GsiAttributes;
}

/** The version and timestamps a record is about to get. */
export interface VersionMeta {
  version: number;
  createdAt: string;
  updatedAt: string;
  sourceRegion: string;
  accountId?: string;
}

/** The region this process writes in (Lambda sets AWS_REGION). */
export function currentRegion(): string {
  return process.env.AWS_REGION ?? "eu-west-1";
}

export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** Writes that join a record's transaction, given the new record (null on delete). */
export type CompanionWrites<T> = (record: StoredRecord<T> | null) => TransactItem[];

export interface WriteOptions<T> {
  now?: Date;
  companions?: CompanionWrites<T> | undefined;
}

const envelopeSchema = z.looseObject({
  workspaceId: z.string(),
  accountId: z.string().optional(),
  sourceRegion: z.string().optional(),
  version: z.number().int().positive(),
  createdAt: z.string(),
  updatedAt: z.string(),
  data: z.unknown(),
  catalog: catalogDocumentSchema.optional(),
});

const tombstoneSchema = z.looseObject({ deletedVersion: z.number().int().positive() });

function toRecord<T>(ref: Omit<RecordRef, "id">, item: Record<string, unknown>): StoredRecord<T> {
  const envelope = parseItem(envelopeSchema, item, ref.kind);
  const id = String(item.entityId ?? item.configId ?? item.id);
  return {
    kind: ref.kind,
    id,
    workspaceId: envelope.workspaceId,
    ...(envelope.accountId ? { accountId: envelope.accountId } : {}),
    sourceRegion: envelope.sourceRegion ?? currentRegion(),
    version: envelope.version,
    createdAt: envelope.createdAt,
    updatedAt: envelope.updatedAt,
    // The data's shape is the kind's own (validated by its schemas when it was written).
    data: envelope.data as T,
    ...(envelope.catalog ? { catalog: envelope.catalog } : {}),
  };
}

function toItem<T>(ref: RecordRef, meta: VersionMeta, content: RecordContent<T>): Record<string, unknown> {
  const key = recordKey(ref);
  const catalogType = catalogTypeOf(ref.kind);
  if (!catalogType) {
    return {
      ...key,
      configType: ref.kind,
      configId: ref.id,
      kind: ref.kind,
      id: ref.id,
      workspaceId: ref.workspaceId,
      ...meta,
      data: content.data,
      ...content.indexes,
    };
  }
  if (!content.catalog) throw new Error(`${ref.kind} records need a catalog document`);
  return {
    ...key,
    workspaceId: ref.workspaceId,
    entityType: catalogType,
    entityId: ref.id,
    ...meta,
    catalog: catalogDocumentSchema.parse({ ...content.catalog, createdAt: meta.createdAt, updatedAt: meta.updatedAt }),
    data: content.data,
    ...content.indexes,
  };
}

export function recordNotFound(ref: Pick<RecordRef, "kind" | "id">): QuestlineError {
  return new QuestlineError("resource.not_found", `${ref.kind} ${ref.id} not found`);
}

function conflict(ref: RecordRef, message: string): QuestlineError {
  return new QuestlineError("resource.conflict", message, {
    details: [{ path: "version", message: `${ref.kind} ${ref.id} changed concurrently` }],
  });
}

/** 409 when `expected` is given and the record is at another version. */
export function assertVersion(record: StoredRecord<unknown>, expected: number | undefined): void {
  if (expected !== undefined && record.version !== expected) {
    throw conflict(record, `${record.kind} ${record.id} is at version ${record.version}, not ${expected}`);
  }
}

async function send(items: TransactItem[]): Promise<void> {
  const [only] = items;
  if (items.length === 1 && only?.Put) await documentDb().send(new PutCommand(only.Put));
  else await documentDb().send(new TransactWriteCommand({ TransactItems: items }));
}

/**
 * A new record plus the transaction items that create it: the item (must not exist) and, for
 * catalog kinds, a check that the id's tombstone is unchanged. After a delete the index keeps
 * a tombstone at `old + 1`, so a re-created id starts at `old + 2`; otherwise at 1.
 */
export async function prepareRecord<T>(ref: RecordRef, content: RecordContent<T>, now = new Date()) {
  const at = now.toISOString();
  const tombKey = catalogTypeOf(ref.kind) ? tombstoneKey(ref) : undefined;
  const stored = tombKey
    ? (await documentDb().send(new GetCommand({ TableName: tableName(), Key: tombKey, ConsistentRead: true }))).Item
    : undefined;
  const tombstone = stored ? parseItem(tombstoneSchema, stored, "tombstone") : undefined;
  const meta: VersionMeta = {
    version: tombstone ? tombstone.deletedVersion + 1 : 1,
    createdAt: at,
    updatedAt: at,
    sourceRegion: currentRegion(),
    ...(ref.accountId ? { accountId: ref.accountId } : {}),
  };
  const item = toItem(ref, meta, content);
  const transactItems: TransactItem[] = [
    { Put: { TableName: tableName(), Item: item, ConditionExpression: "attribute_not_exists(pk)" } },
  ];
  if (tombKey) {
    transactItems.push({
      ConditionCheck: {
        TableName: tableName(),
        Key: tombKey,
        ...(tombstone
          ? {
              ConditionExpression: "deletedVersion = :seen",
              ExpressionAttributeValues: { ":seen": tombstone.deletedVersion },
            }
          : { ConditionExpression: "attribute_not_exists(pk)" }),
      },
    });
  }
  return { record: toRecord<T>(ref, item), transactItems };
}

/** Creates a record (version 1, or above a deleted predecessor). An existing id → 409 `resource.conflict`. */
export async function createRecord<T>(
  ref: RecordRef,
  content: RecordContent<T>,
  options: WriteOptions<T> = {},
): Promise<StoredRecord<T>> {
  const { record, transactItems } = await prepareRecord(ref, content, options.now);
  try {
    await send([...transactItems, ...(options.companions?.(record) ?? [])]);
  } catch (err) {
    if (isConditionFailure(err)) throw conflict(ref, `${ref.kind} ${ref.id} already exists`);
    throw err;
  }
  return record;
}

export async function getRecord<T>(ref: RecordRef): Promise<StoredRecord<T> | null> {
  const out = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: recordKey(ref), ConsistentRead: true }),
  );
  return out.Item ? toRecord<T>(ref, out.Item) : null;
}

/** Like getRecord, but a missing record (or one in another workspace) → 404 `resource.not_found`. */
export async function requireRecord<T>(ref: RecordRef): Promise<StoredRecord<T>> {
  const record = await getRecord<T>(ref);
  if (!record) throw recordNotFound(ref);
  return record;
}

/** A catalog kind's record (its catalog document present), or null. */
export async function getCatalogRecord<T>(ref: RecordRef): Promise<CatalogRecord<T> | null> {
  const record = await getRecord<T>(ref);
  return record?.catalog ? (record as CatalogRecord<T>) : null;
}

export async function requireCatalogRecord<T>(ref: RecordRef): Promise<CatalogRecord<T>> {
  const record = await getCatalogRecord<T>(ref);
  if (!record) throw recordNotFound(ref);
  return record;
}

/**
 * Writes the next version: reads the record (404 when missing), checks `expectedVersion`
 * when given, calls `mutate` with the current record and the new version's meta, and puts the
 * result conditioned on the version just read.
 */
export async function updateRecord<T>(
  ref: RecordRef,
  mutate: (current: StoredRecord<T>, next: VersionMeta) => RecordContent<T> | Promise<RecordContent<T>>,
  options: WriteOptions<T> & { expectedVersion?: number | undefined } = {},
): Promise<StoredRecord<T>> {
  const current = await requireRecord<T>(ref);
  assertVersion(current, options.expectedVersion);
  const now = options.now ?? new Date();
  const meta: VersionMeta = {
    version: current.version + 1,
    createdAt: current.createdAt,
    updatedAt: now.toISOString(),
    sourceRegion: current.sourceRegion,
    ...(current.accountId ? { accountId: current.accountId } : {}),
  };
  const item = toItem(ref, meta, await mutate(current, meta));
  const record = toRecord<T>(ref, item);
  try {
    await send([
      {
        Put: {
          TableName: tableName(),
          Item: item,
          ConditionExpression: "#version = :expected",
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: { ":expected": current.version },
        },
      },
      ...(options.companions?.(record) ?? []),
    ]);
  } catch (err) {
    if (isConditionFailure(err)) throw conflict(ref, `${ref.kind} ${ref.id} was changed concurrently`);
    throw err;
  }
  return record;
}

/**
 * Deletes a record (404 when missing; 409 when `expectedVersion` is stale, or on a concurrent
 * change); `guard` may refuse after reading it. Catalog kinds record their tombstone version
 * in the same transaction; the stream's REMOVE record carries the delete to the index.
 */
export async function deleteRecord<T>(
  ref: RecordRef,
  options: {
    expectedVersion?: number | undefined;
    companions?: CompanionWrites<T> | undefined;
    guard?: (current: StoredRecord<T>) => Promise<void>;
  } = {},
): Promise<StoredRecord<T>> {
  const current = await requireRecord<T>(ref);
  assertVersion(current, options.expectedVersion);
  await options.guard?.(current);
  const items: TransactItem[] = [
    {
      Delete: {
        TableName: tableName(),
        Key: recordKey(ref),
        ConditionExpression: "#version = :expected",
        ExpressionAttributeNames: { "#version": "version" },
        ExpressionAttributeValues: { ":expected": current.version },
      },
    },
  ];
  if (catalogTypeOf(ref.kind)) {
    items.push({
      Put: { TableName: tableName(), Item: { ...tombstoneKey(ref), deletedVersion: current.version + 1 } },
    });
  }
  items.push(...(options.companions?.(null) ?? []));
  try {
    await documentDb().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (err) {
    if (isConditionFailure(err)) {
      if (!(await getRecord(ref))) throw recordNotFound(ref);
      throw conflict(ref, `${ref.kind} ${ref.id} was changed concurrently`);
    }
    throw err;
  }
  return current;
}

export interface RecordPage<T> {
  items: StoredRecord<T>[];
  nextToken?: string;
}

/** Lists one kind of a workspace in id order (`pk = WS#…`, `begins_with(sk, "<PREFIX>#")`). */
export async function listRecords<T>(
  scope: { workspaceId: string },
  kind: RecordKind,
  options: { limit: number; nextToken?: string | undefined },
): Promise<RecordPage<T>> {
  const pk = workspacePk(scope);
  const out = await queryPage({
    ...partitionPrefix(pk, recordSkPrefix(kind)),
    Limit: options.limit,
    startKey: decodeNextToken(options.nextToken, pk, kind),
  });
  const nextToken = encodeNextToken(out.lastKey, pk, kind);
  return {
    items: parseItems(envelopeSchema, out.items, kind).map((item) =>
      toRecord<T>({ workspaceId: scope.workspaceId, kind }, item),
    ),
    ...(nextToken ? { nextToken } : {}),
  };
}
