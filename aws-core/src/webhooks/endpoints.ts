import { DeleteCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { QuestlineError } from "@questline/contracts";
import { z } from "zod";
import { documentDb, tableName } from "../db/client";
import { isConditionFailure } from "../db/conditions";
import { parseItem } from "../db/items";
import { PK, SK, sortKey, sortKeyPrefix } from "../db/keys";
import { queryAll } from "../db/query";
import { putVersionedItem } from "../db/versioned-put";
import { activeSecrets, type StoredSecret } from "./secrets";

/**
 * A workspace's webhook endpoints: `pk = WS#<ws>`, `sk = WHENDPOINT#<endpointId>`. The signing
 * secrets live on the item (newest first) and never leave the core after the answer that
 * created them.
 */
export const MAX_ENDPOINTS_PER_WORKSPACE = 20;

const storedEndpointSchema = z
  .object({
    endpointId: z.string(),
    workspaceId: z.string(),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(z.string()),
    enabled: z.boolean(),
    rateLimitPerSecond: z.number().nullable(),
    secrets: z.array(z.object({ secret: z.string(), createdAt: z.string(), expiresAt: z.string().optional() })).min(1),
    version: z.number().int().positive(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .loose();

export interface StoredEndpoint {
  endpointId: string;
  workspaceId: string;
  url: string;
  description: string;
  /** Empty: every type. */
  eventTypes: string[];
  enabled: boolean;
  rateLimitPerSecond: number | null;
  /** Newest first; the first is current, a rotated-out one has `expiresAt`. */
  secrets: StoredSecret[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

const key = (workspaceId: string, endpointId: string) => ({
  pk: PK.workspace(workspaceId),
  sk: sortKey(SK.webhookEndpoint, endpointId),
});

function toEndpoint(item: Record<string, unknown>): StoredEndpoint {
  const e = parseItem(storedEndpointSchema, item, "webhook endpoint");
  return {
    endpointId: e.endpointId,
    workspaceId: e.workspaceId,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    enabled: e.enabled,
    rateLimitPerSecond: e.rateLimitPerSecond,
    secrets: e.secrets.map((s) => ({
      secret: s.secret,
      createdAt: s.createdAt,
      ...(s.expiresAt ? { expiresAt: s.expiresAt } : {}),
    })),
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

/** What the API shows of an endpoint: everything but its secrets. */
export function endpointView(e: StoredEndpoint, now = new Date()) {
  const previous = activeSecrets(e.secrets, now).find((s) => s.expiresAt);
  return {
    endpointId: e.endpointId,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    enabled: e.enabled,
    rateLimitPerSecond: e.rateLimitPerSecond,
    previousSecretExpiresAt: previous?.expiresAt ?? null,
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

/** Whether an endpoint receives events of a type (an empty filter takes every type). */
export function subscribes(endpoint: StoredEndpoint, eventType: string): boolean {
  return endpoint.enabled && (endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(eventType));
}

export async function listEndpoints(workspaceId: string): Promise<StoredEndpoint[]> {
  const items = await queryAll({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :sk)",
    ExpressionAttributeValues: { ":pk": PK.workspace(workspaceId), ":sk": sortKeyPrefix(SK.webhookEndpoint) },
    ConsistentRead: true,
  });
  return items
    .map(toEndpoint)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.endpointId.localeCompare(b.endpointId));
}

export async function getEndpoint(workspaceId: string, endpointId: string): Promise<StoredEndpoint | null> {
  const out = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: key(workspaceId, endpointId), ConsistentRead: true }),
  );
  return out.Item ? toEndpoint(out.Item) : null;
}

export async function requireEndpoint(workspaceId: string, endpointId: string): Promise<StoredEndpoint> {
  const found = await getEndpoint(workspaceId, endpointId);
  if (!found) throw new QuestlineError("resource.not_found", `Webhook endpoint ${endpointId} not found`);
  return found;
}

/** Creates (`expectedVersion` undefined: the id must be new) or replaces at `expectedVersion`. */
export async function saveEndpoint(endpoint: StoredEndpoint, expectedVersion?: number): Promise<StoredEndpoint> {
  await putVersionedItem(
    key(endpoint.workspaceId, endpoint.endpointId),
    { ...endpoint },
    `Webhook endpoint ${endpoint.endpointId}`,
    expectedVersion,
  );
  return endpoint;
}

export async function deleteEndpoint(workspaceId: string, endpointId: string): Promise<void> {
  try {
    await documentDb().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: key(workspaceId, endpointId),
        ConditionExpression: "attribute_exists(pk)",
      }),
    );
  } catch (err) {
    if (isConditionFailure(err))
      throw new QuestlineError("resource.not_found", `Webhook endpoint ${endpointId} not found`);
    throw err;
  }
}
