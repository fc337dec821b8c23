import type { Logger } from "@aws-lambda-powertools/logger";
import { INDEX_BATCH_MAX_OPERATIONS, type IndexOperation } from "@questline/contracts";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { logger as rootLogger } from "../logging";
import type { SendIndexBatch } from "./indexer-client";
import { toIndexOperation } from "./map-records";

export interface SyncDeps {
  sendBatch: SendIndexBatch;
  logger?: Logger;
  /** Operations per request (the indexer's limit by default). */
  chunkSize?: number;
}

/** `ReportBatchItemFailures` pointing at `record` (Lambda retries from there), or none. */
function failAt(record: DynamoDBRecord | undefined): DynamoDBBatchResponse {
  const id = record?.dynamodb?.SequenceNumber;
  return { batchItemFailures: id ? [{ itemIdentifier: id }] : [] };
}

/**
 * Forwards the catalog changes of one stream batch to the indexer: records are mapped to
 * index operations (others are acknowledged), sent as ONE signed request (chunked above
 * the indexer's 1000-operation limit, chunks in stream order), and the response is turned
 * into a single checkpoint: the whole request failing → the first record of that chunk;
 * some operations failing (or missing from the answer) → the earliest failing record.
 * Everything before the checkpoint is done; Lambda retries the rest. Replays are safe: the
 * indexer applies an operation only when its version is newer than what it holds.
 */
export async function syncStreamBatch(event: DynamoDBStreamEvent, deps: SyncDeps): Promise<DynamoDBBatchResponse> {
  const log = deps.logger ?? rootLogger;
  const chunkSize = Math.min(deps.chunkSize ?? INDEX_BATCH_MAX_OPERATIONS, INDEX_BATCH_MAX_OPERATIONS);
  const pending: { op: IndexOperation; record: DynamoDBRecord }[] = [];
  for (const record of event.Records) {
    const op = toIndexOperation(record);
    if (op) pending.push({ op, record });
  }
  if (pending.length === 0) return { batchItemFailures: [] };

  for (let start = 0; start < pending.length; start += chunkSize) {
    const chunk = pending.slice(start, start + chunkSize);
    const result = await deps.sendBatch(chunk.map((p) => p.op));
    if (!result.ok) {
      log.error("index batch failed as a whole; Lambda will retry from its first record", {
        reason: result.reason,
        status: result.status,
        operations: chunk.length,
      });
      // The first chunk fails from the batch's first record (nothing before it needs a retry,
      // but nothing is lost by replaying acknowledged records either).
      return failAt(start === 0 ? event.Records[0] : chunk[0]?.record);
    }
    const statusBySequence = new Map(result.response.results.map((r) => [r.sequenceNumber, r]));
    const firstFailed = chunk.find((p) => {
      const status = statusBySequence.get(p.op.sequenceNumber)?.status;
      return status !== "applied" && status !== "stale";
    });
    if (firstFailed) {
      const failure = statusBySequence.get(firstFailed.op.sequenceNumber);
      log.warn("index operations failed; Lambda will retry from the earliest", {
        sequenceNumber: firstFailed.op.sequenceNumber,
        error: failure?.error ?? "missing from the indexer's answer",
        failed: chunk.filter((p) => statusBySequence.get(p.op.sequenceNumber)?.status === "failed").length,
      });
      return failAt(firstFailed.record);
    }
    log.info("index batch applied", {
      operations: chunk.length,
      stale: result.response.results.filter((r) => r.status === "stale").length,
    });
  }
  return { batchItemFailures: [] };
}
