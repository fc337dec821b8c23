import { z } from "@hono/zod-openapi";
import { newId, QuestlineError } from "@questline/contracts";
import type { DomainEvent } from "../events/types";
import { expectedVersion } from "../http/if-match";
import {
  type DocumentedOperation,
  documentedRouter,
  documentOperation,
  ifMatchHeader,
  pageQuery,
  pageSchema,
} from "../http/openapi";
import { readJson, readQuery } from "../http/validation";
import { TEST_EVENT_TYPE } from "./catalog";
import { attemptDelivery } from "./deliver";
import {
  type DeliveryRef,
  deliveryView,
  enqueueDelivery,
  getDelivery,
  listDeliveries,
  requeueDelivery,
} from "./deliveries";
import {
  deleteEndpoint,
  endpointView,
  listEndpoints,
  MAX_ENDPOINTS_PER_WORKSPACE,
  requireEndpoint,
  saveEndpoint,
} from "./endpoints";
import {
  createEndpointSchema,
  deliverySchema,
  endpointSchema,
  endpointWithSecretSchema,
  updateEndpointSchema,
} from "./model";
import { newSigningSecret, rotateSecrets } from "./secrets";

const TAG = "Webhooks";
const deliveriesQuery = z.object(pageQuery);

/**
 * `/dashboard/webhooks` (admins and owners, the `WebhookAdmin` action group): endpoints with
 * their signing secrets, a test event, and each endpoint's delivery log with replay
 * (docs/webhooks.md).
 */
export function webhookRoutes() {
  const routes = documentedRouter();
  const ops: Omit<DocumentedOperation, "tag">[] = [
    {
      method: "post",
      path: "/endpoints",
      operationId: "dashboard/webhooks/createEndpoint",
      summary: "Add an endpoint; the answer carries its signing secret, shown this once",
      body: createEndpointSchema,
      writes: true,
      responses: { 201: { description: "The endpoint and its secret", schema: endpointWithSecretSchema } },
    },
    {
      method: "get",
      path: "/endpoints",
      operationId: "dashboard/webhooks/listEndpoints",
      summary: "The workspace's endpoints (without secrets)",
      responses: { 200: { description: "Endpoints, oldest first", schema: pageSchema(endpointSchema) } },
    },
    {
      method: "get",
      path: "/endpoints/:endpointId",
      operationId: "dashboard/webhooks/getEndpoint",
      summary: "One endpoint (without its secret)",
      responses: { 200: { description: "The endpoint", schema: endpointSchema } },
    },
    {
      method: "patch",
      path: "/endpoints/:endpointId",
      operationId: "dashboard/webhooks/updateEndpoint",
      summary: "Change an endpoint's URL, description, event types, enabled flag or rate limit (`If-Match` optional)",
      body: updateEndpointSchema,
      headers: ifMatchHeader,
      writes: true,
      responses: { 200: { description: "The saved endpoint", schema: endpointSchema } },
    },
    {
      method: "delete",
      path: "/endpoints/:endpointId",
      operationId: "dashboard/webhooks/deleteEndpoint",
      summary: "Remove an endpoint (its pending deliveries then fail)",
      writes: true,
      responses: { 204: { description: "Deleted", schema: null } },
    },
    {
      method: "post",
      path: "/endpoints/:endpointId/rotate-secret",
      operationId: "dashboard/webhooks/rotateSecret",
      summary: "A new signing secret (shown this once); the previous one keeps signing for 24 hours",
      writes: true,
      responses: { 200: { description: "The endpoint and its new secret", schema: endpointWithSecretSchema } },
    },
    {
      method: "post",
      path: "/endpoints/:endpointId/test",
      operationId: "dashboard/webhooks/sendTestEvent",
      summary: "Send a `webhook.test` event now; the answer is the delivery after its first attempt",
      writes: true,
      responses: { 200: { description: "The test delivery", schema: deliverySchema } },
    },
    {
      method: "get",
      path: "/endpoints/:endpointId/deliveries",
      operationId: "dashboard/webhooks/listDeliveries",
      summary: "The endpoint's deliveries, newest first, each with its attempts",
      query: deliveriesQuery,
      responses: { 200: { description: "A page of deliveries", schema: pageSchema(deliverySchema) } },
    },
    {
      method: "post",
      path: "/endpoints/:endpointId/deliveries/:deliveryId/retry",
      operationId: "dashboard/webhooks/retryDelivery",
      summary: "Send a delivery again now (any status; same `webhook-id`); retries follow the schedule if it fails",
      writes: true,
      responses: { 200: { description: "The delivery after the attempt", schema: deliverySchema } },
    },
  ];
  for (const op of ops) documentOperation(routes, { tag: TAG, ...op });

  routes.post("/endpoints", async (c) => {
    const workspaceId = c.get("identity").workspaceId;
    const input = await readJson(c, createEndpointSchema);
    if ((await listEndpoints(workspaceId)).length >= MAX_ENDPOINTS_PER_WORKSPACE) {
      throw new QuestlineError(
        "resource.invalid_state",
        `A workspace has at most ${MAX_ENDPOINTS_PER_WORKSPACE} webhook endpoints`,
      );
    }
    const now = new Date().toISOString();
    const secret = newSigningSecret();
    const saved = await saveEndpoint({
      endpointId: input.endpointId ?? newId(),
      workspaceId,
      url: input.url,
      description: input.description,
      eventTypes: input.eventTypes,
      enabled: input.enabled,
      rateLimitPerSecond: input.rateLimitPerSecond,
      secrets: [{ secret, createdAt: now }],
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    return c.json({ ...endpointView(saved), secret }, 201);
  });
  routes.get("/endpoints", async (c) => {
    const items = await listEndpoints(c.get("identity").workspaceId);
    return c.json({ items: items.map((e) => endpointView(e)), nextToken: null });
  });
  routes.get("/endpoints/:endpointId", async (c) =>
    c.json(endpointView(await requireEndpoint(c.get("identity").workspaceId, c.req.param("endpointId")))),
  );
  routes.patch("/endpoints/:endpointId", async (c) => {
    const input = await readJson(c, updateEndpointSchema);
    const current = await requireEndpoint(c.get("identity").workspaceId, c.req.param("endpointId"));
    const expected = expectedVersion(c.req.header("if-match")) ?? current.version;
    const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const saved = await saveEndpoint(
      { ...current, ...changes, version: expected + 1, updatedAt: new Date().toISOString() },
      expected,
    );
    return c.json(endpointView(saved));
  });
  routes.delete("/endpoints/:endpointId", async (c) => {
    await deleteEndpoint(c.get("identity").workspaceId, c.req.param("endpointId"));
    return c.body(null, 204);
  });
  routes.post("/endpoints/:endpointId/rotate-secret", async (c) => {
    const current = await requireEndpoint(c.get("identity").workspaceId, c.req.param("endpointId"));
    const now = new Date();
    const { secrets, secret } = rotateSecrets(current.secrets, now);
    const saved = await saveEndpoint(
      { ...current, secrets, version: current.version + 1, updatedAt: now.toISOString() },
      current.version,
    );
    return c.json({ ...endpointView(saved, now), secret });
  });
  routes.post("/endpoints/:endpointId/test", async (c) => {
    const identity = c.get("identity");
    const endpoint = await requireEndpoint(identity.workspaceId, c.req.param("endpointId"));
    const now = new Date();
    const event: DomainEvent = {
      id: `test_${newId()}`,
      type: TEST_EVENT_TYPE,
      version: 1,
      workspaceId: identity.workspaceId,
      userId: identity.userId ?? "",
      occurredAt: now.toISOString(),
      rootEventId: "",
      data: { message: "A test event sent from the dashboard" },
    };
    const ref = await enqueueDelivery(endpoint.endpointId, event, now);
    if (!ref) throw new Error("a fresh test event id collided");
    await attemptDelivery(ref, { now });
    return c.json(deliveryView(await requireDelivery(ref)));
  });
  routes.get("/endpoints/:endpointId/deliveries", async (c) => {
    const workspaceId = c.get("identity").workspaceId;
    const query = readQuery(c, deliveriesQuery);
    const endpoint = await requireEndpoint(workspaceId, c.req.param("endpointId"));
    const page = await listDeliveries(workspaceId, endpoint.endpointId, query);
    return c.json({ items: page.items.map(deliveryView), nextToken: page.nextToken });
  });
  routes.post("/endpoints/:endpointId/deliveries/:deliveryId/retry", async (c) => {
    const workspaceId = c.get("identity").workspaceId;
    const endpoint = await requireEndpoint(workspaceId, c.req.param("endpointId"));
    const ref = { workspaceId, endpointId: endpoint.endpointId, deliveryId: c.req.param("deliveryId") };
    const now = new Date();
    await requeueDelivery(ref, now);
    await attemptDelivery(ref, { now });
    return c.json(deliveryView(await requireDelivery(ref)));
  });
  return routes;
}

async function requireDelivery(ref: DeliveryRef) {
  const found = await getDelivery(ref);
  if (!found) throw new QuestlineError("resource.not_found", `Delivery ${ref.deliveryId} not found`);
  return found;
}
