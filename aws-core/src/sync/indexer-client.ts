import {
  INDEX_BATCH_MAX_OPERATIONS,
  INDEXER_BATCH_PATH,
  INDEXER_SIGNING,
  type IndexBatchResponse,
  type IndexOperation,
  indexBatchResponseSchema,
} from "@questline/contracts";
import { AwsClient } from "aws4fetch";
import { indexerSigningKeys, type SigningKeys } from "./credentials";

export type SendBatchResult =
  | { ok: true; response: IndexBatchResponse }
  | { ok: false; reason: string; status?: number };

/** Sends one batch (≤ INDEX_BATCH_MAX_OPERATIONS operations) to the indexer. */
export type SendIndexBatch = (operations: IndexOperation[]) => Promise<SendBatchResult>;

export interface IndexerClientOptions {
  /** Base URL of workers/indexer (`INDEXER_URL`). */
  baseUrl: string;
  keys?: () => Promise<SigningKeys>;
  timeoutMs?: number;
}

/**
 * The signed client for workers/indexer: SigV4 with the INDEXER_SIGNING scope, `retries: 0`
 * (Lambda's stream retry is the retry; the indexer is idempotent by version anyway), a fresh
 * Request with a buffered JSON body, and a timeout. Never throws: failures come back as
 * `{ ok: false }` so the caller can report the batch position to retry from.
 */
export function createIndexerClient(options: IndexerClientOptions): SendIndexBatch {
  const url = new URL(INDEXER_BATCH_PATH, options.baseUrl).toString();
  const keys = options.keys ?? (() => indexerSigningKeys());
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (operations) => {
    if (operations.length === 0 || operations.length > INDEX_BATCH_MAX_OPERATIONS) {
      return { ok: false, reason: `batch size ${operations.length} outside 1..${INDEX_BATCH_MAX_OPERATIONS}` };
    }
    try {
      const { accessKeyId, secretAccessKey } = await keys();
      const aws = new AwsClient({
        accessKeyId,
        secretAccessKey,
        service: INDEXER_SIGNING.service,
        region: INDEXER_SIGNING.region,
        retries: 0,
      });
      const request = new Request(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ operations }),
      });
      const res = await aws.fetch(request, { signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      if (!res.ok)
        return { ok: false, status: res.status, reason: `indexer answered HTTP ${res.status}: ${text.slice(0, 300)}` };
      const parsed = indexBatchResponseSchema.safeParse(JSON.parse(text));
      if (!parsed.success)
        return { ok: false, status: res.status, reason: "indexer response does not match the contract" };
      return { ok: true, response: parsed.data };
    } catch (err) {
      return { ok: false, reason: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
  };
}
