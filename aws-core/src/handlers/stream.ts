import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { coreConfig, loadCoreConfig } from "../config";
import { createIndexerClient, type SendIndexBatch, syncStreamBatch } from "../sync";

/**
 * DynamoDB Streams (NEW_AND_OLD_IMAGES, ReportBatchItemFailures) → workers/indexer.
 * The signed client is created once per container (again only when `indexer/url` or
 * `indexer/timeout-ms` change); the signing keys are resolved on first use.
 */
let client: { key: string; sendBatch: SendIndexBatch } | undefined;

function indexerClient(): SendIndexBatch {
  const { indexerUrl: baseUrl, indexerTimeoutMs: timeoutMs } = coreConfig();
  if (!baseUrl) throw new Error("indexer/url (INDEXER_URL) is not set");
  const key = `${baseUrl} ${timeoutMs}`;
  if (client?.key !== key) client = { key, sendBatch: createIndexerClient({ baseUrl, timeoutMs }) };
  return client.sendBatch;
}

await loadCoreConfig();

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  await loadCoreConfig();
  return syncStreamBatch(event, { sendBatch: indexerClient() });
}
