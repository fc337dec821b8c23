import type { IndexBatchResponse, IndexOperation } from "@questline/contracts";
import { chunkJsonRows } from "./chunk";
import { operationOutcomes, planBatch } from "./plan";
import {
  DELETE_SETTLED_TAGS,
  DELETE_SETTLED_TEXTS,
  INSERT_TAGS,
  INSERT_TEXTS,
  UPSERT_ITEMS,
  UPSERT_LAG_STATS,
} from "./statements";

/** D1 caps a bound string at 1 MB; stay well below it. */
export const MAX_JSON_PARAM_BYTES = 900_000;

export interface ApplyOptions {
  /** `stream` batches update the lag statistics; the sync tools' batches (old changes) do not. */
  source: "stream" | "reindex" | "repair";
  now?: number;
  maxJsonParamBytes?: number;
}

export interface ApplySummary extends IndexBatchResponse {
  applied: number;
  stale: number;
  failed: number;
  statements: number;
  /** now − newest changedAt of the batch (stream source only). */
  lagMs: number | undefined;
}

interface ChangedRow {
  w: string;
  t: string;
  i: string;
  v: number;
  d: number;
}

/**
 * Applies validated operations to the catalog index in ONE `D1.batch()` (one transaction):
 * either every statement commits or none does. Per-operation results come from the rows the
 * guarded item upserts report as changed (RETURNING).
 * If the batch fails, every operation is reported `failed` so the caller retries them all.
 */
export async function applyIndexBatch(
  db: D1Database,
  operations: readonly IndexOperation[],
  options: ApplyOptions,
): Promise<ApplySummary> {
  const now = options.now ?? Date.now();
  const maxBytes = options.maxJsonParamBytes ?? MAX_JSON_PARAM_BYTES;
  const plan = planBatch(operations);

  const upserts = chunkJsonRows(plan.items, maxBytes).map((json) => db.prepare(UPSERT_ITEMS).bind(json, now));
  const writes: D1PreparedStatement[] = [
    ...upserts,
    ...chunkJsonRows(plan.finalStates, maxBytes).flatMap((json) => [
      db.prepare(DELETE_SETTLED_TEXTS).bind(json),
      db.prepare(DELETE_SETTLED_TAGS).bind(json),
    ]),
    ...chunkJsonRows(plan.texts, maxBytes).map((json) => db.prepare(INSERT_TEXTS).bind(json)),
    ...chunkJsonRows(plan.tags, maxBytes).map((json) => db.prepare(INSERT_TAGS).bind(json)),
  ];
  let lagMs: number | undefined;
  if (options.source === "stream") {
    const newest = newestChangePerWorkspace(operations);
    lagMs = now - Math.max(...newest.values());
    const stats = [
      { key: "stream", changedAt: Math.max(...newest.values()) },
      ...[...newest].map(([workspaceId, changedAt]) => ({ key: `stream:${workspaceId}`, changedAt })),
    ];
    writes.push(db.prepare(UPSERT_LAG_STATS).bind(JSON.stringify(stats), now));
  }
  const statements = writes.length;

  let changed: ChangedRow[];
  try {
    const results = await db.batch<ChangedRow>(writes);
    changed = results.slice(0, upserts.length).flatMap((result) => result.results);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(JSON.stringify({ msg: "index batch failed", operations: operations.length, error: message }));
    return {
      results: operations.map((op) => ({ sequenceNumber: op.sequenceNumber, status: "failed", error: message })),
      applied: 0,
      stale: 0,
      failed: operations.length,
      statements,
      lagMs: undefined,
    };
  }

  const outcomes = operationOutcomes(operations, changed);
  const applied = outcomes.filter((o) => o === "applied").length;
  return {
    results: operations.map((op, index) => ({ sequenceNumber: op.sequenceNumber, status: outcomes[index] ?? "stale" })),
    applied,
    stale: operations.length - applied,
    failed: 0,
    statements,
    lagMs,
  };
}

function newestChangePerWorkspace(operations: readonly IndexOperation[]): Map<string, number> {
  const newest = new Map<string, number>();
  for (const op of operations) {
    newest.set(op.workspaceId, Math.max(newest.get(op.workspaceId) ?? 0, op.changedAt));
  }
  return newest;
}
