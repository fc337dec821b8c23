import type { IndexOperation } from "@questline/contracts";
import { itemToUpsert, scanCatalogSegment } from "./catalog-scan";
import type { IndexerApi, InventoryEntry } from "./indexer-api";

/**
 * - `missing`: in DynamoDB, no live row in the index.
 * - `stale`: the index holds an older version.
 * - `orphan`: a live index row for an item DynamoDB no longer has.
 * - `ahead`: the index holds a newer version (live or tombstone) than DynamoDB: the version
 *   guard cannot repair this (e.g. an id re-created with a restarted version).
 */
export type DifferenceKind = "missing" | "stale" | "orphan" | "ahead";

export interface Difference {
  kind: DifferenceKind;
  itemType: string;
  itemId: string;
  sourceVersion?: number;
  indexVersion?: number;
  indexDeleted?: boolean;
}

export interface ReconcileReport {
  workspaceId: string;
  mode: "full" | "sample";
  /** Source items compared (indexable ones). */
  checked: number;
  /** Source items breaking the index contract: skipped by the stream handler, so not compared. */
  unindexable: number;
  differences: Difference[];
}

export interface ReconcileOptions {
  workspaceId: string;
  indexer: IndexerApi;
  /** Compare only N random DynamoDB items (orphans are not looked for in sample mode). */
  sample?: number;
  totalSegments?: number;
}

interface SourceItem {
  itemType: string;
  itemId: string;
  version: number;
  upsert: IndexOperation;
}

const keyOf = (e: { itemType: string; itemId: string }) => `${e.itemType}#${e.itemId}`;

/** Compares one workspace's DynamoDB items with its index rows (ids, versions, tombstones). */
export async function reconcileWorkspace(
  options: ReconcileOptions,
): Promise<ReconcileReport & { source: Map<string, SourceItem> }> {
  const { source, unindexable } = await readSource(options);
  let entries = [...source.values()];
  if (options.sample !== undefined) entries = reservoirSample(entries, options.sample);

  const index = new Map<string, InventoryEntry>();
  if (options.sample === undefined) {
    for await (const page of options.indexer.inventory(options.workspaceId)) {
      for (const row of page) index.set(keyOf(row), row);
    }
  } else {
    for (const row of await options.indexer.lookup(options.workspaceId, entries)) index.set(keyOf(row), row);
  }
  const differences = compareInventories(entries, index, options.sample === undefined);
  return {
    workspaceId: options.workspaceId,
    mode: options.sample === undefined ? "full" : "sample",
    checked: entries.length,
    unindexable,
    differences,
    source,
  };
}

/** The pure comparison (exported for tests). */
export function compareInventories(
  source: readonly Pick<SourceItem, "itemType" | "itemId" | "version">[],
  index: ReadonlyMap<string, InventoryEntry>,
  lookForOrphans: boolean,
): Difference[] {
  const differences: Difference[] = [];
  const seen = new Set<string>();
  for (const item of source) {
    const key = keyOf(item);
    seen.add(key);
    const row = index.get(key);
    const base = { itemType: item.itemType, itemId: item.itemId, sourceVersion: item.version };
    if (!row) {
      differences.push({ kind: "missing", ...base });
      continue;
    }
    const indexSide = { indexVersion: row.version, indexDeleted: row.deleted };
    if (row.version > item.version || (row.deleted && row.version === item.version)) {
      differences.push({ kind: "ahead", ...base, ...indexSide });
    } else if (row.deleted) {
      differences.push({ kind: "missing", ...base, ...indexSide });
    } else if (row.version < item.version) {
      differences.push({ kind: "stale", ...base, ...indexSide });
    }
  }
  if (lookForOrphans) {
    for (const [key, row] of index) {
      if (!seen.has(key) && !row.deleted) {
        differences.push({ kind: "orphan", itemType: row.itemType, itemId: row.itemId, indexVersion: row.version });
      }
    }
  }
  return differences.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

/**
 * Repairs what the version guard can: missing/stale items get their current DynamoDB image,
 * orphans a tombstone one version above the index row (as the stream's REMOVE would have).
 * `ahead` differences are returned unrepaired.
 */
export async function repairDifferences(
  report: Awaited<ReturnType<typeof reconcileWorkspace>>,
  indexer: IndexerApi,
): Promise<{ repaired: number; unrepairable: Difference[] }> {
  const operations: IndexOperation[] = [];
  const unrepairable: Difference[] = [];
  for (const diff of report.differences) {
    const item = report.source.get(keyOf(diff));
    if ((diff.kind === "missing" || diff.kind === "stale") && item) {
      operations.push({ ...item.upsert, changedAt: item.upsert.changedAt });
    } else if (diff.kind === "orphan" && diff.indexVersion !== undefined) {
      operations.push({
        op: "delete",
        workspaceId: report.workspaceId,
        itemType: diff.itemType as IndexOperation["itemType"],
        itemId: diff.itemId,
        version: diff.indexVersion + 1,
        changedAt: Date.now(),
        sequenceNumber: `repair-${operations.length}`,
      });
    } else {
      unrepairable.push(diff);
    }
  }
  let repaired = 0;
  for (let start = 0; start < operations.length; start += 1000) {
    const { results } = await indexer.applyBatch(operations.slice(start, start + 1000), "repair");
    repaired += results.filter((r) => r.status !== "failed").length;
  }
  return { repaired, unrepairable };
}

async function readSource(
  options: ReconcileOptions,
): Promise<{ source: Map<string, SourceItem>; unindexable: number }> {
  const totalSegments = options.totalSegments ?? 4;
  const source = new Map<string, SourceItem>();
  let unindexable = 0;
  await Promise.all(
    Array.from({ length: totalSegments }, async (_, segment) => {
      for await (const page of scanCatalogSegment({ workspaceId: options.workspaceId }, segment, totalSegments)) {
        for (const item of page.items) {
          const upsert = itemToUpsert(item, `repair-${source.size}`);
          if (!upsert) {
            unindexable += 1;
            continue;
          }
          source.set(keyOf(upsert), {
            itemType: upsert.itemType,
            itemId: upsert.itemId,
            version: upsert.version,
            upsert,
          });
        }
      }
    }),
  );
  return { source, unindexable };
}

function reservoirSample<T>(items: readonly T[], n: number): T[] {
  const picked = items.slice(0, n);
  for (let i = n; i < items.length; i++) {
    const j = Math.floor(Math.random() * (i + 1));
    if (j < n) picked[j] = items[i] as T;
  }
  return picked;
}
