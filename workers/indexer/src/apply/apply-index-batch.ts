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
 *
 * If that batch fails, the operations are bisected to find a single operation D1 rejects (a
 * poison operation), so the others still apply: each half is again one atomic batch. When
 * both halves of a split fail, the cause is not one operation (D1 unavailable, say), so
 * everything left is reported `failed` and the caller retries. Application order across
 * halves does not matter: the version guard makes the final state the newest version
 * whatever the order. At most ~2·log2(n) D1 calls.
 */
export async function applyIndexBatch(
  db: D1Database,
  operations: readonly IndexOperation[],
  options: ApplyOptions,
): Promise<ApplySummary> {
  const whole = await applyAtomically(db, operations, options);
  if (whole.failed === 0 || operations.length === 1) return whole;
  return isolateFailures(db, operations, options, whole);
}

async function isolateFailures(
  db: D1Database,
  operations: readonly IndexOperation[],
  options: ApplyOptions,
  failure: ApplySummary,
): Promise<ApplySummary> {
  if (operations.length === 1) return failure;
  const middle = Math.ceil(operations.length / 2);
  const halves = [operations.slice(0, middle), operations.slice(middle)];
  const attempts = [];
  for (const half of halves) attempts.push(await applyAtomically(db, half, options));
  const [left, right] = attempts as [ApplySummary, ApplySummary];
  if (left.failed > 0 && right.failed > 0) {
    return merge([failure], left.statements + right.statements);
  }
  const parts: ApplySummary[] = [];
  for (const [index, attempt] of attempts.entries()) {
    parts.push(attempt.failed > 0 ? await isolateFailures(db, halves[index] ?? [], options, attempt) : attempt);
  }
  return merge(parts, failure.statements);
}

function merge(parts: ApplySummary[], extraStatements: number): ApplySummary {
  const lags = parts.map((p) => p.lagMs).filter((lag): lag is number => lag !== undefined);
  return {
    results: parts.flatMap((p) => p.results),
    applied: parts.reduce((sum, p) => sum + p.applied, 0),
    stale: parts.reduce((sum, p) => sum + p.stale, 0),
    failed: parts.reduce((sum, p) => sum + p.failed, 0),
    statements: extraStatements + parts.reduce((sum, p) => sum + p.statements, 0),
    lagMs: lags.length > 0 ? Math.min(...lags) : undefined,
  };
}

async function applyAtomically(
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
