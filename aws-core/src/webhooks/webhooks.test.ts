import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activity, type Caller, missionSetup, testWorkspace, user } from "../../test/support/callers";
import { streamEvent, streamRecord } from "../../test/support/stream-records";
import { startWebhookReceiver, type WebhookReceiver } from "../../test/support/webhook-receiver";
import { activityLogKey } from "../activities/logs";
import { documentDb, tableName } from "../db/client";
import type { DomainEvent } from "../events/types";
import { handler as scheduled } from "../handlers/scheduled";
import { handler as webhookRunner } from "../handlers/webhooks";
import { nextAttemptAfter, RETRY_DELAYS_MS } from "./deliver";
import { getDelivery } from "./deliveries";
import { deliverStreamBatch } from "./enqueue";

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.stop();
});

interface Endpoint {
  endpointId: string;
  secret: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  previousSecretExpiresAt: string | null;
}
interface Delivery {
  deliveryId: string;
  eventId: string;
  eventType: string;
  status: string;
  attemptCount: number;
  nextAttemptAt: string | null;
  attempts: { attempt: number; statusCode: number | null; error: string | null; durationMs: number }[];
  payload: Record<string, unknown>;
}

const base = "/dashboard/webhooks/endpoints";

async function endpoint(admin: Caller, body: Record<string, unknown> = {}): Promise<Endpoint> {
  return admin.json<Endpoint>("POST", base, { url: receiver.url, ...body }, 201);
}

function receivedBy(workspaceId: string) {
  return receiver.received.filter((r) => (JSON.parse(r.body) as { workspaceId?: string }).workspaceId === workspaceId);
}

/** Verifies a received request with the `standardwebhooks` package, as a receiver would. */
function verify(secret: string, r: { headers: Record<string, unknown>; body: string }) {
  return new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as DomainEvent;
}

/** A user completes a one-step mission; answers the stream batch carrying the log item's outbox. */
async function completedMission(admin: Caller, asUser: (id: string) => Caller, workspaceId: string) {
  const activityId = await activity(admin);
  await missionSetup(admin, activityId, { target: 1 });
  const userId = await user(admin);
  const body = { activityId, activityLogId: `hook-${Date.now()}-${Math.random().toString(36).slice(2)}`, value: 1 };
  await asUser(userId).json("POST", "/app/activity-logs", body, 200);
  const stored = await documentDb().send(
    new GetCommand({
      TableName: tableName(),
      Key: activityLogKey(workspaceId, userId, body.activityLogId),
      ConsistentRead: true,
    }),
  );
  const item = stored.Item as Record<string, unknown>;
  const completed = (item.domainEvents as DomainEvent[]).find((e) => e.type === "mission.completed");
  if (!completed) throw new Error("the run completed no mission");
  return { batch: streamEvent([streamRecord("INSERT", "900", { newImage: item })]), completed };
}

describe("webhook endpoints", () => {
  it("shows the signing secret once, on create; never on get or list", async () => {
    const { admin } = testWorkspace();
    const created = await endpoint(admin, {
      description: "orders",
      eventTypes: ["badge.earned"],
      rateLimitPerSecond: 5,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(created.secret.slice("whsec_".length), "base64").length).toBeGreaterThanOrEqual(24);
    expect(created).toMatchObject({
      url: receiver.url,
      eventTypes: ["badge.earned"],
      enabled: true,
      rateLimitPerSecond: 5,
    });

    const got = await admin.json<Record<string, unknown>>("GET", `${base}/${created.endpointId}`, undefined, 200);
    const list = await admin.json<{ items: Record<string, unknown>[] }>("GET", base, undefined, 200);
    expect(got).not.toHaveProperty("secret");
    expect(list.items.map((e) => e.endpointId)).toEqual([created.endpointId]);
    expect(JSON.stringify([got, list])).not.toContain(created.secret.slice(6));

    const patched = await admin.json<Endpoint>("PATCH", `${base}/${created.endpointId}`, { enabled: false }, 200);
    expect(patched).toMatchObject({ enabled: false, eventTypes: ["badge.earned"], description: "orders" });
    expect((await admin.request("DELETE", `${base}/${created.endpointId}`)).status).toBe(204);
    expect((await admin.request("GET", `${base}/${created.endpointId}`)).status).toBe(404);
  });

  it("refuses non-https URLs and event types outside the catalog, naming the field", async () => {
    const { admin } = testWorkspace();
    for (const [body, path] of [
      [{ url: "http://example.com/hook" }, "url"],
      [{ url: "ftp://127.0.0.1/hook" }, "url"],
      [{ url: "not a url" }, "url"],
      [{ url: "https://example.com/hook", eventTypes: ["mission.finished"] }, "eventTypes.0"],
      [{ url: "https://example.com/hook", rateLimitPerSecond: 0 }, "rateLimitPerSecond"],
    ] as const) {
      const res = await admin.request("POST", base, body);
      const json = (await res.json()) as { error: { code: string; details: { path: string }[] } };
      expect({ status: res.status, code: json.error.code, path: json.error.details[0]?.path }).toEqual({
        status: 400,
        code: "request.validation_failed",
        path,
      });
    }
    expect((await admin.request("POST", base, { url: "https://example.com/hook" })).status).toBe(201);
  });

  it("is for admins and owners: editors and viewers get 403", async () => {
    const { admin, editor, viewer } = testWorkspace();
    const created = await endpoint(admin);
    for (const who of [editor, viewer]) {
      expect((await who.request("GET", base)).status).toBe(403);
      expect((await who.request("POST", base, { url: receiver.url })).status).toBe(403);
      expect((await who.request("POST", `${base}/${created.endpointId}/rotate-secret`)).status).toBe(403);
    }
  });
});

describe("webhook deliveries", () => {
  it("delivers a completed mission once to the matching endpoint, signed per Standard Webhooks; none to others", async () => {
    const { admin, asUser, workspaceId } = testWorkspace();
    const matching = await endpoint(admin, { eventTypes: ["mission.completed"] });
    const other = await endpoint(admin, { eventTypes: ["badge.earned"] });
    const disabled = await endpoint(admin, { eventTypes: ["mission.completed"], enabled: false });
    const { batch, completed } = await completedMission(admin, asUser, workspaceId);

    expect(await deliverStreamBatch(batch)).toEqual({ batchItemFailures: [] });
    // Lambda retries the batch: the same record creates no second delivery.
    expect(await deliverStreamBatch(batch)).toEqual({ batchItemFailures: [] });

    const got = receivedBy(workspaceId);
    expect(got).toHaveLength(1);
    const [only] = got;
    if (!only) throw new Error("nothing received");
    expect(only.headers["webhook-id"]).toBe(completed.id);
    const event = verify(matching.secret, only);
    expect(event).toMatchObject({ id: completed.id, type: "mission.completed", workspaceId, version: 1 });
    expect(() => verify(disabled.secret, only)).toThrow();

    const log = await admin.json<{ items: Delivery[] }>(
      "GET",
      `${base}/${matching.endpointId}/deliveries`,
      undefined,
      200,
    );
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      eventId: completed.id,
      status: "DELIVERED",
      attemptCount: 1,
      nextAttemptAt: null,
    });
    expect(log.items[0]?.attempts).toMatchObject([{ attempt: 1, statusCode: 200, error: null }]);
    const none = await admin.json<{ items: Delivery[] }>(
      "GET",
      `${base}/${disabled.endpointId}/deliveries`,
      undefined,
      200,
    );
    expect(none.items).toEqual([]);
    const otherLog = await admin.json<{ items: Delivery[] }>(
      "GET",
      `${base}/${other.endpointId}/deliveries`,
      undefined,
      200,
    );
    expect(otherLog.items).toEqual([]);
  });

  it("retries a 500 on schedule with the same webhook-id and ends DELIVERED", async () => {
    const { admin, asUser, workspaceId } = testWorkspace();
    const hook = await endpoint(admin, { eventTypes: ["mission.completed"] });
    const { batch, completed } = await completedMission(admin, asUser, workspaceId);
    receiver.answer(500);
    await deliverStreamBatch(batch);
    const first = await admin.json<{ items: Delivery[] }>(
      "GET",
      `${base}/${hook.endpointId}/deliveries`,
      undefined,
      200,
    );
    expect(first.items[0]).toMatchObject({ status: "PENDING", attemptCount: 1 });
    expect(first.items[0]?.attempts).toMatchObject([{ statusCode: 500, error: "HTTP 500" }]);
    const due = Date.parse(first.items[0]?.nextAttemptAt ?? "");
    expect(due - Date.now()).toBeGreaterThan(2_000);
    expect(due - Date.now()).toBeLessThan(6_500);

    // A sweep before it is due sends nothing; one after it sends the retry.
    await scheduled({ workspaceIds: [workspaceId] });
    expect(receivedBy(workspaceId)).toHaveLength(1);
    const run = await scheduled({ workspaceIds: [workspaceId], time: new Date(Date.now() + 60_000).toISOString() });
    expect(run.webhookAttempts).toBe(1);

    const got = receivedBy(workspaceId);
    expect(got.map((r) => r.headers["webhook-id"])).toEqual([completed.id, completed.id]);
    for (const r of got) expect(verify(hook.secret, r).id).toBe(completed.id);
    const after = await admin.json<{ items: Delivery[] }>(
      "GET",
      `${base}/${hook.endpointId}/deliveries`,
      undefined,
      200,
    );
    expect(after.items[0]).toMatchObject({ status: "DELIVERED", attemptCount: 2 });
    expect(after.items[0]?.attempts.map((a) => a.statusCode)).toEqual([500, 200]);
  });

  it("the webhook runner (production's every-minute schedule, outside the VPC) sends the due retry", async () => {
    const { admin, asUser, workspaceId } = testWorkspace();
    const hook = await endpoint(admin, { eventTypes: ["mission.completed"] });
    const { batch, completed } = await completedMission(admin, asUser, workspaceId);
    receiver.answer(503);
    await deliverStreamBatch(batch);
    expect(await webhookRunner({ workspaceIds: [workspaceId] })).toMatchObject({ attempted: 0 });
    const run = await webhookRunner({ workspaceIds: [workspaceId], time: new Date(Date.now() + 60_000).toISOString() });
    expect(run).toEqual({ workspaces: 1, attempted: 1, delivered: 1, failed: 0 });
    const got = receivedBy(workspaceId);
    expect(got.map((r) => r.headers["webhook-id"])).toEqual([completed.id, completed.id]);
    expect(verify(hook.secret, got[1]!).id).toBe(completed.id);
  });

  it("gives up after the last retry of the schedule (7 attempts) and marks the delivery FAILED", async () => {
    const { admin, workspaceId } = testWorkspace();
    const hook = await endpoint(admin);
    receiver.answer(503, 503, 503, 503, 503, 503, 503);
    const tested = await admin.json<Delivery>("POST", `${base}/${hook.endpointId}/test`, undefined, 200);
    expect(tested).toMatchObject({ eventType: "webhook.test", status: "PENDING", attemptCount: 1 });
    let clock = Date.now();
    for (let i = 0; i < 6; i++) {
      clock += 13 * 3_600_000;
      await scheduled({ workspaceIds: [workspaceId], time: new Date(clock).toISOString() });
    }
    const log = await admin.json<{ items: Delivery[] }>("GET", `${base}/${hook.endpointId}/deliveries`, undefined, 200);
    expect(log.items[0]).toMatchObject({
      deliveryId: tested.deliveryId,
      status: "FAILED",
      attemptCount: 7,
      nextAttemptAt: null,
    });
    expect(receivedBy(workspaceId).map((r) => r.headers["webhook-id"])).toEqual(Array(7).fill(tested.eventId));

    // Replay: the same message, now answered.
    const retried = await admin.json<Delivery>(
      "POST",
      `${base}/${hook.endpointId}/deliveries/${tested.deliveryId}/retry`,
      undefined,
      200,
    );
    expect(retried).toMatchObject({ status: "DELIVERED", attemptCount: 8 });
    expect(receivedBy(workspaceId).at(-1)?.headers["webhook-id"]).toBe(tested.eventId);
  });

  it("signs with both secrets during a rotation's overlap, each verifiable on its own", async () => {
    const { admin, workspaceId } = testWorkspace();
    const hook = await endpoint(admin);
    const rotated = await admin.json<Endpoint>("POST", `${base}/${hook.endpointId}/rotate-secret`, undefined, 200);
    expect(rotated.secret).not.toBe(hook.secret);
    const overlap = Date.parse(rotated.previousSecretExpiresAt ?? "") - Date.now();
    expect(overlap).toBeGreaterThan(23 * 3_600_000);
    expect(overlap).toBeLessThanOrEqual(24 * 3_600_000);

    await admin.json("POST", `${base}/${hook.endpointId}/test`, undefined, 200);
    const [got] = receivedBy(workspaceId);
    if (!got) throw new Error("nothing received");
    expect(String(got.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verify(rotated.secret, got).type).toBe("webhook.test");
    expect(verify(hook.secret, got).type).toBe("webhook.test");
  });

  it("pages an endpoint's deliveries newest first", async () => {
    const { admin } = testWorkspace();
    const hook = await endpoint(admin);
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) {
      sent.push((await admin.json<Delivery>("POST", `${base}/${hook.endpointId}/test`, undefined, 200)).deliveryId);
    }
    const page1 = await admin.json<{ items: Delivery[]; nextToken: string }>(
      "GET",
      `${base}/${hook.endpointId}/deliveries?limit=2`,
      undefined,
      200,
    );
    const page2 = await admin.json<{ items: Delivery[]; nextToken: string | null }>(
      "GET",
      `${base}/${hook.endpointId}/deliveries?limit=2&nextToken=${encodeURIComponent(page1.nextToken)}`,
      undefined,
      200,
    );
    expect([...page1.items, ...page2.items].map((d) => d.deliveryId)).toEqual([...sent].reverse());
  });
});

describe("the stream's webhook job keeps the checkpoint semantics", () => {
  const outbox = (workspaceId: string, id: string) => ({
    pk: `WS#${workspaceId}#USER#u-1`,
    sk: `ALOG#${id}`,
    domainEvents: [
      {
        id: `${id}:mission.completed:m-1`,
        type: "mission.completed",
        version: 1,
        workspaceId,
        userId: "u-1",
        occurredAt: new Date().toISOString(),
        rootEventId: id,
        data: { missionId: "m-1" },
      },
    ],
  });

  it("a failing receiver never holds the stream; an enqueue failure is the checkpoint", async () => {
    const down = testWorkspace();
    const hook = await endpoint(down.admin, { url: "http://127.0.0.1:9/closed" });
    const broken = testWorkspace();
    await endpoint(broken.admin);
    // A hand-edited endpoint item: reading the workspace's endpoints fails.
    await documentDb().send(
      new PutCommand({
        TableName: tableName(),
        Item: { pk: `WS#${broken.workspaceId}`, sk: "WHENDPOINT#edited", endpointId: "edited", url: 42 },
      }),
    );
    const batch = streamEvent([
      streamRecord("INSERT", "1000", { newImage: outbox(down.workspaceId, "run-a") }),
      streamRecord("INSERT", "1001", { newImage: outbox(broken.workspaceId, "run-b") }),
      streamRecord("INSERT", "1002", { newImage: outbox(down.workspaceId, "run-c") }),
    ]);
    expect(await deliverStreamBatch(batch)).toEqual({ batchItemFailures: [{ itemIdentifier: "1001" }] });
    const log = await down.admin.json<{ items: Delivery[] }>(
      "GET",
      `${base}/${hook.endpointId}/deliveries`,
      undefined,
      200,
    );
    expect(log.items.map((d) => d.eventId)).toEqual(["run-a:mission.completed:m-1"]);
    expect(log.items[0]).toMatchObject({ status: "PENDING", attemptCount: 1 });
    expect(log.items[0]?.attempts[0]).toMatchObject({
      statusCode: null,
      error: expect.stringContaining("fetch failed"),
    });
  });
});

describe("webhook edge cases", () => {
  it("refuses a PATCH with a stale If-Match with 409, leaving the endpoint as it was", async () => {
    const { admin } = testWorkspace();
    const hook = await endpoint(admin);
    await admin.json("PATCH", `${base}/${hook.endpointId}`, { description: "first" }, 200);
    const stale = await admin.request(
      "PATCH",
      `${base}/${hook.endpointId}`,
      { description: "second" },
      { "if-match": '"1"' },
    );
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe("resource.conflict");
    const got = await admin.json<{ description: string; version: number }>(
      "GET",
      `${base}/${hook.endpointId}`,
      undefined,
      200,
    );
    expect(got).toMatchObject({ description: "first", version: 2 });
  });

  it("fails a pending delivery of a deleted endpoint at its next attempt, without sending", async () => {
    const { admin, workspaceId } = testWorkspace();
    const hook = await endpoint(admin);
    receiver.answer(500);
    const tested = await admin.json<Delivery>("POST", `${base}/${hook.endpointId}/test`, undefined, 200);
    expect((await admin.request("DELETE", `${base}/${hook.endpointId}`)).status).toBe(204);
    await scheduled({ workspaceIds: [workspaceId], time: new Date(Date.now() + 60_000).toISOString() });
    expect(receivedBy(workspaceId)).toHaveLength(1);
    const stored = await getDelivery({ workspaceId, endpointId: hook.endpointId, deliveryId: tested.deliveryId });
    expect(stored).toMatchObject({ status: "FAILED", attemptCount: 2, nextAttemptAt: null });
    expect(stored?.attempts.at(-1)).toMatchObject({ error: "endpoint deleted", statusCode: null });
  });

  it("spreads retries with jitter around the schedule and stops after it", () => {
    const at = new Date("2026-12-08T00:00:00.000Z");
    RETRY_DELAYS_MS.forEach((delay, i) => {
      const low = nextAttemptAfter(i + 1, at, () => 0)?.getTime() ?? 0;
      const high = nextAttemptAfter(i + 1, at, () => 0.999_999)?.getTime() ?? 0;
      expect(low - at.getTime()).toBe(delay * 0.8);
      expect(Math.round((high - at.getTime()) / delay)).toBe(1);
      expect(high - at.getTime()).toBeLessThanOrEqual(delay * 1.2);
    });
    expect(nextAttemptAfter(RETRY_DELAYS_MS.length + 1, at)).toBeNull();
  });
});
