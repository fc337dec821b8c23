import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { domainEventsOf } from "../event-bus";
import type { DomainEvent } from "../events/types";
import { logger } from "../logging";
import { attemptDeliveries, type DeliverOptions } from "./deliver";
import { type DeliveryRef, enqueueDelivery } from "./deliveries";
import { listEndpoints, type StoredEndpoint, subscribes } from "./endpoints";

export interface EnqueueResult extends DynamoDBBatchResponse {
  /** The deliveries this call created (a replayed record creates none). */
  created: DeliveryRef[];
}

/**
 * The stream's webhook job, part one: one PENDING delivery per (domain event of an inserted
 * outbox, enabled endpoint of its workspace that subscribes to its type). Delivery ids are
 * deterministic, so a record Lambda retries creates nothing twice. A failure answers that
 * record as the checkpoint (Lambda retries from it).
 */
export async function enqueueStreamBatch(event: DynamoDBStreamEvent, now = new Date()): Promise<EnqueueResult> {
  const endpoints = new Map<string, Promise<StoredEndpoint[]>>();
  const endpointsOf = (workspaceId: string) => {
    let found = endpoints.get(workspaceId);
    if (!found) {
      found = listEndpoints(workspaceId);
      endpoints.set(workspaceId, found);
    }
    return found;
  };
  const created: DeliveryRef[] = [];
  for (const record of event.Records) {
    try {
      for (const domainEvent of domainEventsOf(record)) {
        created.push(...(await enqueueEvent(domainEvent, await endpointsOf(domainEvent.workspaceId), now)));
      }
    } catch (err) {
      logger.error("enqueueing webhook deliveries failed; Lambda will retry from this record", {
        error: err instanceof Error ? err.message : String(err),
      });
      const id = record.dynamodb?.SequenceNumber;
      return { created, batchItemFailures: id ? [{ itemIdentifier: id }] : [] };
    }
  }
  return { created, batchItemFailures: [] };
}

async function enqueueEvent(event: DomainEvent, endpoints: StoredEndpoint[], now: Date): Promise<DeliveryRef[]> {
  const refs = await Promise.all(
    endpoints.filter((e) => subscribes(e, event.type)).map((e) => enqueueDelivery(e.endpointId, event, now)),
  );
  return refs.filter((r): r is DeliveryRef => r !== null);
}

/**
 * The stream's webhook job: enqueue, then the first attempt of what was enqueued. Delivery
 * problems never hold the stream back (retries belong to the scheduled handler); only an
 * enqueue failure is a checkpoint.
 */
export async function deliverStreamBatch(
  event: DynamoDBStreamEvent,
  options: DeliverOptions = {},
): Promise<DynamoDBBatchResponse> {
  const { created, batchItemFailures } = await enqueueStreamBatch(event, options.now);
  if (created.length) {
    try {
      await attemptDeliveries(created, options);
    } catch (err) {
      logger.error("first webhook attempts failed; the scheduled handler retries them", {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return { batchItemFailures };
}
