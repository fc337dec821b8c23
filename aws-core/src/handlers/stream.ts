import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { coreConfig, loadCoreConfig } from "../config";
import { earliestCheckpoint, eventBridgePut, type PutDomainEvents, publishStreamBatch } from "../event-bus";
import { createIndexerClient, type SendIndexBatch, syncStreamBatch } from "../sync";
import { deliverStreamBatch, webhooksEnabled } from "../webhooks";

/**
 * DynamoDB Streams (NEW_AND_OLD_IMAGES, ReportBatchItemFailures) → workers/indexer, and the
 * domain events' outbox → the event bus.
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

let putEvents: PutDomainEvents | undefined;

function busClient(): PutDomainEvents {
  putEvents ??= eventBridgePut();
  return putEvents;
}

await loadCoreConfig();

/**
 * The jobs of a batch run side by side — catalog changes to the indexer, domain events (the
 * outbox on log items) to the event bus when `EVENT_BUS_NAME` is set, and to webhook
 * deliveries when `WEBHOOKS_ENABLED=true` (enqueued, then a first attempt; docs/webhooks.md) — and Lambda retries from the
 * earliest of their checkpoints (all are idempotent on replay: index versions, deterministic
 * event and delivery ids). Webhook sends never hold a checkpoint back: only an enqueue
 * failure does; retries are the scheduled handler's.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  await loadCoreConfig();
  const busName = process.env.EVENT_BUS_NAME;
  const [indexed, published, enqueued] = await Promise.all([
    syncStreamBatch(event, { sendBatch: indexerClient() }),
    busName ? publishStreamBatch(event, { put: busClient(), busName }) : { batchItemFailures: [] },
    webhooksEnabled() ? deliverStreamBatch(event) : { batchItemFailures: [] },
  ]);
  return earliestCheckpoint(event, indexed, published, enqueued);
}
