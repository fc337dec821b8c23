import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import type { DomainEvent } from "../events/types";
import { logger as rootLogger } from "../logging";
import { DOMAIN_EVENTS_ATTRIBUTE } from "../pipeline";

/** Every domain event on the bus has this source (rules match on it, and on `detail-type`). */
export const EVENT_SOURCE = "questline";
/** PutEvents takes at most 10 entries per call. */
const MAX_ENTRIES = 10;

/** Sends entries to the bus; the answer lists the indexes of the entries it did not accept. */
export type PutDomainEvents = (entries: PutEventsRequestEntry[]) => Promise<{ failed: number[] }>;

/** The domain events a stream record carries: those on a newly inserted item (the outbox). */
export function domainEventsOf(record: DynamoDBRecord): DomainEvent[] {
  if (record.eventName !== "INSERT") return [];
  const image = record.dynamodb?.NewImage;
  if (!image?.[DOMAIN_EVENTS_ATTRIBUTE]) return [];
  const item = unmarshall(image as Record<string, AttributeValue>);
  const events = item[DOMAIN_EVENTS_ATTRIBUTE];
  return Array.isArray(events) ? (events as DomainEvent[]) : [];
}

/** The bus entry of a domain event: `detail` is the event as webhooks deliver it. */
export function toBusEntry(event: DomainEvent, busName: string): PutEventsRequestEntry {
  return {
    EventBusName: busName,
    Source: EVENT_SOURCE,
    DetailType: event.type,
    Time: new Date(event.occurredAt),
    Resources: [],
    Detail: JSON.stringify(event),
  };
}

export interface PublishDeps {
  put: PutDomainEvents;
  busName: string;
  logger?: typeof rootLogger;
}

/**
 * Publishes the domain events of one stream batch, in stream order, and answers with the
 * checkpoint Lambda retries from: the first record with an entry the bus did not accept
 * (or whose call failed). Ids are deterministic, so a retry resends the same ids — never
 * the same fact under a new id; consumers deduplicate by id.
 */
export async function publishStreamBatch(
  event: DynamoDBStreamEvent,
  deps: PublishDeps,
): Promise<DynamoDBBatchResponse> {
  const log = deps.logger ?? rootLogger;
  const pending: { entry: PutEventsRequestEntry; record: DynamoDBRecord }[] = [];
  for (const record of event.Records) {
    for (const domainEvent of domainEventsOf(record))
      pending.push({ entry: toBusEntry(domainEvent, deps.busName), record });
  }
  for (let start = 0; start < pending.length; start += MAX_ENTRIES) {
    const chunk = pending.slice(start, start + MAX_ENTRIES);
    let failed: number[];
    try {
      ({ failed } = await deps.put(chunk.map((p) => p.entry)));
    } catch (err) {
      log.error("publishing domain events failed; Lambda will retry from the chunk's first record", {
        error: err instanceof Error ? err.message : String(err),
      });
      failed = chunk.map((_, i) => i);
    }
    if (failed.length) {
      const first = chunk[Math.min(...failed)]?.record;
      log.warn("the event bus refused domain events; Lambda will retry from the earliest", { refused: failed.length });
      const id = first?.dynamodb?.SequenceNumber;
      return { batchItemFailures: id ? [{ itemIdentifier: id }] : [] };
    }
  }
  if (pending.length) log.info("domain events published", { events: pending.length });
  return { batchItemFailures: [] };
}

/** PutEvents through the SDK (`EVENTBRIDGE_ENDPOINT` points it at the local bus). */
export function eventBridgePut(client = new EventBridgeClient(clientConfig())): PutDomainEvents {
  return async (entries) => {
    const out = await client.send(new PutEventsCommand({ Entries: entries }));
    const failed: number[] = [];
    (out.Entries ?? []).forEach((result, i) => {
      if (result.ErrorCode) failed.push(i);
    });
    if ((out.FailedEntryCount ?? 0) > 0 && failed.length === 0) return { failed: entries.map((_, i) => i) };
    return { failed };
  };
}

function clientConfig() {
  const endpoint = process.env.EVENTBRIDGE_ENDPOINT;
  return { ...(endpoint ? { endpoint } : {}), maxAttempts: 3 };
}

/** The earlier of two checkpoints (by position in the batch): both parts are done before it. */
export function earliestCheckpoint(
  event: DynamoDBStreamEvent,
  ...responses: DynamoDBBatchResponse[]
): DynamoDBBatchResponse {
  const position = new Map(event.Records.map((r, i) => [r.dynamodb?.SequenceNumber, i]));
  const failures = responses.flatMap((r) => r.batchItemFailures);
  if (failures.length === 0) return { batchItemFailures: [] };
  const first = failures.reduce((a, b) =>
    (position.get(a.itemIdentifier) ?? 0) <= (position.get(b.itemIdentifier) ?? 0) ? a : b,
  );
  return { batchItemFailures: [first] };
}
