import { createHash } from "node:crypto";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { QuestlineError } from "@questline/contracts";
import { z } from "zod";
import { documentDb, tableName } from "../db/client";
import { isConditionFailure } from "../db/conditions";
import { parseItem } from "../db/items";
import { INDEX_PK, PK, SK, sortKey } from "../db/keys";
import { decodeNextToken, encodeNextToken } from "../db/pagination";
import { queryPage } from "../db/query";
import type { DomainEvent } from "../events/types";

/**
 * Webhook deliveries: one item per (domain event, endpoint), in the endpoint's partition
 * (`WS#<ws>#WEBHOOK#<endpointId>` / `WHDELIVERY#<deliveryId>`). The id is derived from the
 * endpoint and event ids, so enqueueing the same event twice (a replayed stream record)
 * creates nothing the second time. gsi1 lists an endpoint's deliveries newest first; gsi2
 * (`WS#<ws>#WHDUE`, by next attempt time) holds them while they are PENDING.
 */
export const DELIVERY_STATUSES = ["PENDING", "DELIVERED", "FAILED"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Attempts kept on a delivery (the latest ones). */
export const MAX_ATTEMPTS_KEPT = 20;
/** Deliveries are kept this long after their creation (TTL). */
export const DELIVERY_RETENTION_DAYS = 30;

const attemptSchema = z.object({
  attempt: z.number().int(),
  at: z.string(),
  statusCode: z.number().int().nullable(),
  durationMs: z.number().int(),
  error: z.string().nullable(),
  responseExcerpt: z.string().nullable(),
});
export type Attempt = z.output<typeof attemptSchema>;

const storedDeliverySchema = z
  .object({
    deliveryId: z.string(),
    endpointId: z.string(),
    workspaceId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    body: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attemptCount: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    attempts: z.array(attemptSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .loose();
export type StoredDelivery = z.output<typeof storedDeliverySchema>;

export interface DeliveryRef {
  workspaceId: string;
  endpointId: string;
  deliveryId: string;
}

/** Deterministic: the same endpoint and event always make the same delivery. */
export function deliveryIdOf(endpointId: string, eventId: string): string {
  return createHash("sha256").update(`${endpointId}\n${eventId}`).digest("base64url").slice(0, 24);
}

const key = (ref: DeliveryRef) => ({
  pk: PK.webhookEndpoint(ref.workspaceId, ref.endpointId),
  sk: sortKey(SK.webhookDelivery, ref.deliveryId),
});

const dueKeys = (ref: DeliveryRef, at: string) => ({
  gsi2pk: INDEX_PK.webhookDeliveriesDue(ref.workspaceId),
  gsi2sk: `${at}#${ref.endpointId}#${ref.deliveryId}`,
});

function toDelivery(item: Record<string, unknown>): StoredDelivery {
  return parseItem(storedDeliverySchema, item, "webhook delivery");
}

export function deliveryView(d: StoredDelivery) {
  return {
    deliveryId: d.deliveryId,
    endpointId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attemptCount: d.attemptCount,
    nextAttemptAt: d.status === "PENDING" ? d.nextAttemptAt : null,
    attempts: d.attempts,
    payload: JSON.parse(d.body) as Record<string, unknown>,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** Stores a PENDING delivery due now; false when it already exists (nothing is written). */
export async function enqueueDelivery(endpointId: string, event: DomainEvent, now: Date): Promise<DeliveryRef | null> {
  const ref = { workspaceId: event.workspaceId, endpointId, deliveryId: deliveryIdOf(endpointId, event.id) };
  const at = now.toISOString();
  const item: StoredDelivery & Record<string, unknown> = {
    ...key(ref),
    ...ref,
    eventId: event.id,
    eventType: event.type,
    body: JSON.stringify(event),
    status: "PENDING",
    attemptCount: 0,
    nextAttemptAt: at,
    attempts: [],
    createdAt: at,
    updatedAt: at,
    gsi1pk: INDEX_PK.webhookDeliveries(ref.workspaceId, endpointId),
    gsi1sk: `${at}#${ref.deliveryId}`,
    ...dueKeys(ref, at),
    ttl: Math.floor(now.getTime() / 1000) + DELIVERY_RETENTION_DAYS * 86_400,
  };
  try {
    await documentDb().send(
      new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: "attribute_not_exists(pk)" }),
    );
    return ref;
  } catch (err) {
    if (isConditionFailure(err)) return null;
    throw err;
  }
}

export async function getDelivery(ref: DeliveryRef): Promise<StoredDelivery | null> {
  const out = await documentDb().send(new GetCommand({ TableName: tableName(), Key: key(ref), ConsistentRead: true }));
  return out.Item ? toDelivery(out.Item) : null;
}

/**
 * Takes a due delivery for one attempt: counts the attempt and moves its due time to
 * `leaseUntil`, so a concurrent runner skips it and a crashed one leaves it due again later.
 * Null when it is not PENDING or not due (someone else has it).
 */
export async function claimDelivery(ref: DeliveryRef, now: Date, leaseUntil: Date): Promise<StoredDelivery | null> {
  const lease = leaseUntil.toISOString();
  try {
    const out = await documentDb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key(ref),
        UpdateExpression: "SET attemptCount = attemptCount + :one, nextAttemptAt = :lease, gsi2sk = :dueSk",
        ConditionExpression: "attribute_exists(pk) AND #status = :pending AND nextAttemptAt <= :now",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":one": 1,
          ":lease": lease,
          ":dueSk": dueKeys(ref, lease).gsi2sk,
          ":pending": "PENDING",
          ":now": now.toISOString(),
        },
        ReturnValues: "ALL_NEW",
      }),
    );
    return out.Attributes ? toDelivery(out.Attributes) : null;
  } catch (err) {
    if (isConditionFailure(err)) return null;
    throw err;
  }
}

/** Records the claimed attempt's outcome: DELIVERED, FAILED, or PENDING again at `nextAttemptAt`. */
export async function recordAttempt(
  claimed: StoredDelivery,
  attempt: Attempt,
  outcome: { status: DeliveryStatus; nextAttemptAt: Date | null },
): Promise<void> {
  const ref = { workspaceId: claimed.workspaceId, endpointId: claimed.endpointId, deliveryId: claimed.deliveryId };
  const next = outcome.status === "PENDING" && outcome.nextAttemptAt ? outcome.nextAttemptAt.toISOString() : null;
  const attempts = [...claimed.attempts, attempt].slice(-MAX_ATTEMPTS_KEPT);
  await documentDb().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key(ref),
      UpdateExpression: next
        ? "SET #status = :status, attempts = :attempts, nextAttemptAt = :next, updatedAt = :now, gsi2pk = :duePk, gsi2sk = :dueSk"
        : "SET #status = :status, attempts = :attempts, nextAttemptAt = :next, updatedAt = :now REMOVE gsi2pk, gsi2sk",
      ConditionExpression: "attemptCount = :count",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":status": outcome.status,
        ":attempts": attempts,
        ":next": next,
        ":now": new Date().toISOString(),
        ":count": claimed.attemptCount,
        ...(next ? { ":duePk": dueKeys(ref, next).gsi2pk, ":dueSk": dueKeys(ref, next).gsi2sk } : {}),
      },
    }),
  );
}

/** Makes a delivery due now again, whatever its status (a replay); 404 when it does not exist. */
export async function requeueDelivery(ref: DeliveryRef, now: Date): Promise<void> {
  const at = now.toISOString();
  try {
    await documentDb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key(ref),
        UpdateExpression:
          "SET #status = :pending, nextAttemptAt = :at, updatedAt = :at, gsi2pk = :duePk, gsi2sk = :dueSk",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":pending": "PENDING", ":at": at, ...prefixed(dueKeys(ref, at)) },
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) throw new QuestlineError("resource.not_found", `Delivery ${ref.deliveryId} not found`);
    throw err;
  }
}

function prefixed(keys: { gsi2pk: string; gsi2sk: string }) {
  return { ":duePk": keys.gsi2pk, ":dueSk": keys.gsi2sk };
}

/** One page of an endpoint's deliveries, newest first. */
export async function listDeliveries(
  workspaceId: string,
  endpointId: string,
  options: { limit: number; nextToken?: string | undefined },
): Promise<{ items: StoredDelivery[]; nextToken: string | null }> {
  const pk = INDEX_PK.webhookDeliveries(workspaceId, endpointId);
  const page = await queryPage({
    IndexName: "gsi1",
    KeyConditionExpression: "gsi1pk = :pk",
    ExpressionAttributeValues: { ":pk": pk },
    ScanIndexForward: false,
    Limit: options.limit,
    startKey: decodeNextToken(options.nextToken, pk, "gsi1"),
  });
  return { items: page.items.map(toDelivery), nextToken: encodeNextToken(page.lastKey, pk, "gsi1") ?? null };
}

/** The PENDING deliveries of a workspace due at `now` (at most `limit`, earliest first). */
export async function dueDeliveries(workspaceId: string, now: Date, limit = 100): Promise<DeliveryRef[]> {
  const page = await queryPage({
    IndexName: "gsi2",
    KeyConditionExpression: "gsi2pk = :pk AND gsi2sk < :bound",
    ExpressionAttributeValues: { ":pk": INDEX_PK.webhookDeliveriesDue(workspaceId), ":bound": `${now.toISOString()}~` },
    Limit: limit,
  });
  return page.items.map((i) => ({
    workspaceId,
    endpointId: String(i.endpointId),
    deliveryId: String(i.deliveryId),
  }));
}
