import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { createIndexerClient, type SendIndexBatch, syncStreamBatch } from "../sync";

/**
 * DynamoDB Streams (NEW_AND_OLD_IMAGES, ReportBatchItemFailures) → workers/indexer.
 * The signed client is created once per container; the signing keys are resolved on first use.
 */
let sendBatch: SendIndexBatch | undefined;

function indexerClient(): SendIndexBatch {
  const baseUrl = process.env.INDEXER_URL;
  if (!baseUrl) throw new Error("INDEXER_URL is not set");
  sendBatch ??= createIndexerClient({
    baseUrl,
    ...(process.env.INDEXER_TIMEOUT_MS ? { timeoutMs: Number(process.env.INDEXER_TIMEOUT_MS) } : {}),
  });
  return sendBatch;
}

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  return syncStreamBatch(event, { sendBatch: indexerClient() });
}
