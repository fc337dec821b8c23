import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { earliestCheckpoint, eventBridgePut, type PutDomainEvents, publishStreamBatch } from "../event-bus";
import { createIndexerClient, type SendIndexBatch, syncStreamBatch } from "../sync";
import { deliverStreamBatch, webhooksEnabled } from "../webhooks";

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

let putEvents: PutDomainEvents | undefined;

function busClient(): PutDomainEvents {
  putEvents ??= eventBridgePut();
  return putEvents;
}

/**
 * The jobs of a batch run side by side — catalog changes to the indexer, domain events (the
 * outbox on log items) to the event bus when `EVENT_BUS_NAME` is set, and to webhook
 * deliveries when `WEBHOOKS_ENABLED=true` (enqueued, then a first attempt; docs/webhooks.md) — and Lambda retries from the
 * earliest of their checkpoints (all are idempotent on replay: index versions, deterministic
 * event and delivery ids). Webhook sends never hold a checkpoint back: only an enqueue
 * failure does; retries are the scheduled handler's.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const busName = process.env.EVENT_BUS_NAME;
  const [indexed, published, enqueued] = await Promise.all([
    syncStreamBatch(event, { sendBatch: indexerClient() }),
    busName ? publishStreamBatch(event, { put: busClient(), busName }) : { batchItemFailures: [] },
    webhooksEnabled() ? deliverStreamBatch(event) : { batchItemFailures: [] },
  ]);
  return earliestCheckpoint(event, indexed, published, enqueued);
}
