import type { IndexOperation } from "@questline/contracts";
import { itemToUpsert, type Scope, scanCatalogSegment } from "./catalog-scan";
import { clearCheckpoint, loadCheckpoint, saveCheckpoint } from "./checkpoint";
import type { IndexerApi } from "./indexer-api";

export interface ReindexProgress {
  scanned: number;
  applied: number;
  stale: number;
  /** Items that break the index contract (skipped, as the stream handler skips them). */
  skipped: number;
  segmentsDone: number;
  totalSegments: number;
}

export interface ReindexOptions {
  scope: Scope;
  indexer: IndexerApi;
  /** Parallel scan segments (TotalSegments). */
  totalSegments?: number;
  pageSize?: number;
  /** Resume state; deleted when the run completes. */
  checkpointFile?: string;
  /** Attempts per page when the indexer fails (the page is re-sent whole; it is idempotent). */
  attempts?: number;
  onProgress?: (progress: ReindexProgress) => void;
  /** Test hook: called after each page is applied and checkpointed. */
  afterPage?: (segment: number) => void | Promise<void>;
}

/**
 * Rebuilds the D1 catalog index from DynamoDB: a parallel scan of catalog-indexed items, each
 * page sent as a signed `reindex` batch through the indexer's normal apply path. Safe beside
 * live traffic: the indexer keeps whichever version is newer, so a scan image older than a
 * change the stream already delivered is simply stale. Resumable: after each applied page the
 * segment's LastEvaluatedKey goes to the checkpoint file.
 */
export async function reindex(options: ReindexOptions): Promise<ReindexProgress> {
  const totalSegments = options.totalSegments ?? 4;
  const scopeName = "workspaceId" in options.scope ? `workspace:${options.scope.workspaceId}` : "all";
  const checkpoint = loadCheckpoint(options.checkpointFile, scopeName, totalSegments);
  const progress: ReindexProgress = {
    scanned: 0,
    applied: 0,
    stale: 0,
    skipped: 0,
    segmentsDone: Object.values(checkpoint.segments).filter((s) => s.done).length,
    totalSegments,
  };
  options.onProgress?.({ ...progress });

  const runSegment = async (segment: number) => {
    const state = checkpoint.segments[segment] ?? { done: false };
    if (state.done) return;
    let sequence = 0;
    for await (const page of scanCatalogSegment(
      options.scope,
      segment,
      totalSegments,
      state.lastEvaluatedKey,
      options.pageSize,
    )) {
      const operations: IndexOperation[] = [];
      for (const item of page.items) {
        const op = itemToUpsert(item, `reindex-${segment}-${sequence++}`);
        if (op) operations.push(op);
        else progress.skipped += 1;
      }
      progress.scanned += page.items.length;
      for (let start = 0; start < operations.length; start += 1000) {
        const outcome = await applyWithRetries(
          options.indexer,
          operations.slice(start, start + 1000),
          options.attempts ?? 3,
        );
        progress.applied += outcome.applied;
        progress.stale += outcome.stale;
      }
      checkpoint.segments[segment] = page.lastEvaluatedKey
        ? { lastEvaluatedKey: page.lastEvaluatedKey, done: false }
        : { done: true };
      saveCheckpoint(options.checkpointFile, checkpoint);
      if (!page.lastEvaluatedKey) progress.segmentsDone += 1;
      options.onProgress?.({ ...progress });
      await options.afterPage?.(segment);
    }
  };
  await Promise.all(Array.from({ length: totalSegments }, (_, segment) => runSegment(segment)));
  clearCheckpoint(options.checkpointFile);
  return progress;
}

async function applyWithRetries(
  indexer: IndexerApi,
  operations: IndexOperation[],
  attempts: number,
): Promise<{ applied: number; stale: number }> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const { results } = await indexer.applyBatch(operations, "reindex");
      const failed = results.filter((r) => r.status === "failed");
      if (failed.length === 0) {
        const applied = results.filter((r) => r.status === "applied").length;
        return { applied, stale: results.length - applied };
      }
      lastError = new Error(`${failed.length} operations failed: ${failed[0]?.error ?? "unknown"}`);
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
  throw new Error(`reindex page failed after ${attempts} attempts (resume from the checkpoint): ${String(lastError)}`);
}
