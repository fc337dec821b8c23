import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { type LocalEventBus, startLocalEventBus } from "@questline/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activity, badge, currency, missionSetup, rewardRule, testWorkspace, user } from "../../test/support/callers";
import { streamEvent, streamRecord } from "../../test/support/stream-records";
import { activityLogKey } from "../activities/logs";
import { documentDb, tableName } from "../db/client";
import type { DomainEvent } from "../events/types";
import { WEBHOOK_EVENT_TYPES } from "../webhooks/catalog";
import { DOMAIN_EVENT_DATA, DOMAIN_EVENT_TYPES, type DomainEventType, domainEventSchema } from "./catalog";
import { eventBridgePut, publishStreamBatch } from "./publish";

/** An event exactly as the catalog (and the OpenAPI document's `webhooks`) describes it: no field more. */
function catalogProblems(event: DomainEvent): string[] {
  const type = event.type as DomainEventType;
  if (!DOMAIN_EVENT_TYPES.includes(type)) return [`${event.type} is not in the catalog`];
  const strict = domainEventSchema(type).extend({ data: DOMAIN_EVENT_DATA[type].strict() }).strict();
  const result = strict.safeParse(event);
  return result.success ? [] : result.error.issues.map((i) => `${event.type} ${i.path.join(".")}: ${i.message}`);
}

let bus: LocalEventBus;
let client: EventBridgeClient;
beforeAll(async () => {
  bus = await startLocalEventBus({ busName: "questline-test" });
  client = new EventBridgeClient({ endpoint: bus.endpoint, region: "eu-west-1" });
});
afterAll(async () => {
  client.destroy();
  await bus.stop();
});

/** An activity that completes a mission and earns 5 coins and a badge, logged once by one user. */
async function loggedRun() {
  const ws = testWorkspace();
  const activityId = await activity(ws.admin);
  const coins = await currency(ws.admin);
  const badgeId = await badge(ws.admin);
  await missionSetup(ws.admin, activityId, { target: 1 });
  await rewardRule(ws.admin, {
    ruleType: "INSTANCE",
    matchEntity: "Activity",
    matchEntityId: activityId,
    applicationMode: "ALWAYS",
    rewards: [
      { virtualCurrencyId: coins, redemptionMode: "AUTO", expression: 5 },
      { rewardType: "BADGE", badgeConfigurationId: badgeId },
    ],
  });
  const userId = await user(ws.admin);
  const me = ws.asUser(userId);
  const body = { activityId, activityLogId: `run-${Date.now()}`, value: 1 };
  await me.json("POST", "/app/activity-logs", body, 200);
  const stored = await documentDb().send(
    new GetCommand({
      TableName: tableName(),
      Key: activityLogKey(ws.workspaceId, userId, body.activityLogId),
      ConsistentRead: true,
    }),
  );
  return { ...ws, me, body, userId, coins, badgeId, item: stored.Item as Record<string, unknown> };
}

describe("domain events: one per effect, in the log item's outbox, sent to the bus", () => {
  it("the catalog is the webhook catalog", () => {
    expect([...DOMAIN_EVENT_TYPES].sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });

  it("records each fact of the run once, with deterministic ids, in the same item as the log", async () => {
    const { item, body, workspaceId, userId, coins, badgeId } = await loggedRun();
    const events = item.domainEvents as DomainEvent[];
    expect(events.map((e) => e.type).sort()).toEqual([
      "activity-log.created",
      "badge.earned",
      "mission.completed",
      "reward.granted",
      "virtual-balance.changed",
    ]);
    expect(events.flatMap(catalogProblems)).toEqual([]);
    for (const e of events) {
      expect(e).toMatchObject({ workspaceId, userId, version: 1, rootEventId: body.activityLogId });
      expect(e.id.startsWith(`${body.activityLogId}:${e.type}:`)).toBe(true);
    }
    expect(events.find((e) => e.type === "badge.earned")?.data).toEqual({ badgeConfigurationId: badgeId });
    expect(events.find((e) => e.type === "virtual-balance.changed")?.data).toEqual({
      virtualCurrencyId: coins,
      amountDelta: 5,
      availableAmountDelta: 5,
    });
  });

  it("a replayed log adds no fact", async () => {
    const { me, body, item, workspaceId, userId } = await loggedRun();
    const again = await me.request("POST", "/app/activity-logs", body);
    expect(again.status).toBe(200);
    const stored = await documentDb().send(
      new GetCommand({
        TableName: tableName(),
        Key: activityLogKey(workspaceId, userId, body.activityLogId),
        ConsistentRead: true,
      }),
    );
    expect(stored.Item?.domainEvents).toEqual(item.domainEvents);
  });

  it("publishes the outbox of inserted items to the bus, and a resend carries the same ids", async () => {
    const { item } = await loggedRun();
    const completed: string[] = [];
    bus.addRule(`missions-${Date.now()}`, { source: ["questline"], "detail-type": ["mission.completed"] }, (e) => {
      if ((e.detail as { workspaceId?: string }).workspaceId === item.workspaceId) completed.push(String(e.detail.id));
    });
    const batch = streamEvent([
      streamRecord("INSERT", "100", { newImage: item }),
      // A MODIFY of the same item (e.g. a later attribute change) does not publish again.
      streamRecord("MODIFY", "101", { newImage: item, oldImage: item }),
    ]);
    const deps = { put: eventBridgePut(client), busName: "questline-test" };
    expect(await publishStreamBatch(batch, deps)).toEqual({ batchItemFailures: [] });
    const ids = (item.domainEvents as DomainEvent[]).map((e) => e.id);
    const onBus = bus.events().filter((e) => ids.includes(String(e.detail.id)));
    expect(onBus.map((e) => e["detail-type"]).sort()).toEqual(
      (item.domainEvents as DomainEvent[]).map((e) => e.type).sort(),
    );
    expect(completed).toHaveLength(1);

    // Lambda retries a batch: the same facts go out again under the same ids.
    await publishStreamBatch(batch, deps);
    expect(completed).toHaveLength(2);
    expect(new Set(completed).size).toBe(1);
  });

  it("answers the first record with a refused entry as the checkpoint", async () => {
    const a = await loggedRun();
    const b = await loggedRun();
    const batch = streamEvent([
      streamRecord("INSERT", "200", { newImage: a.item }),
      streamRecord("INSERT", "201", { newImage: b.item }),
    ]);
    const perItem = (a.item.domainEvents as unknown[]).length;
    const refusing = async (entries: unknown[]) => ({
      failed: entries.length > perItem ? [perItem] : [],
    });
    const out = await publishStreamBatch(batch, { put: refusing, busName: "questline-test" });
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: "201" }] });
  });
});
