import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  EventBridgeClient,
  ListRulesCommand,
  PutEventsCommand,
  PutRuleCommand,
  TestEventPatternCommand,
} from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BusEvent, type LocalEventBus, startLocalEventBus } from "./event-bus";

let bus: LocalEventBus;
let client: EventBridgeClient;
const archiveFile = join(mkdtempSync(join(tmpdir(), "ql-bus-")), "archive.jsonl");

beforeAll(async () => {
  bus = await startLocalEventBus({ busName: "questline-local", archiveFile });
  client = new EventBridgeClient({
    endpoint: bus.endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});
afterAll(async () => {
  client.destroy();
  await bus.stop();
});

const entry = (detailType: string, detail: object) => ({
  EventBusName: "questline-local",
  Source: "questline",
  DetailType: detailType,
  Detail: JSON.stringify(detail),
  Time: new Date("2026-12-08T10:00:00Z"),
});

describe("the local event bus, through @aws-sdk/client-eventbridge", () => {
  it("routes PutEvents entries to the rules whose patterns match, as EventBridge events", async () => {
    const badges: BusEvent[] = [];
    bus.addRule("badges", { source: ["questline"], "detail-type": ["badge.earned"] }, (e) => {
      badges.push(e);
    });
    bus.addRule(
      "big-balances",
      { "detail-type": ["virtual-balance.changed"], detail: { data: { amountDelta: [{ numeric: [">=", 100] }] } } },
      () => {},
    );
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          entry("badge.earned", { id: "e1", data: { badgeConfigurationId: "b1" } }),
          entry("virtual-balance.changed", { id: "e2", data: { amountDelta: 5 } }),
          entry("virtual-balance.changed", { id: "e3", data: { amountDelta: 500 } }),
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries?.every((e) => typeof e.EventId === "string")).toBe(true);
    expect(badges).toHaveLength(1);
    expect(badges[0]).toMatchObject({
      version: "0",
      source: "questline",
      "detail-type": "badge.earned",
      time: "2026-12-08T10:00:00Z",
      region: "eu-west-1",
      detail: { id: "e1", data: { badgeConfigurationId: "b1" } },
    });
    expect(bus.matched("big-balances").map((e) => e.detail.id)).toEqual(["e3"]);
  });

  it("refuses bad entries one by one, accepting the others", async () => {
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          entry("ok", { id: "fine" }),
          { ...entry("x", {}), Detail: "not json" },
          { ...entry("x", {}), EventBusName: "another-bus" },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries?.map((e) => e.ErrorCode ?? "ok")).toEqual(["ok", "MalformedDetail", "NotFoundException"]);
  });

  it("keeps every accepted event in the archive file and replays a window to the rules", async () => {
    const lines = readFileSync(archiveFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as BusEvent);
    expect(lines.map((e) => e.detail.id)).toEqual(["e1", "e2", "e3", "fine"]);
    const before = bus.matched("badges").length;
    const replayed = await bus.replay({ name: "again", from: new Date("2026-12-08T09:00:00Z") });
    expect(replayed).toHaveLength(4);
    const again = bus.matched("badges").slice(before);
    expect(again.map((e) => [e.detail.id, e["replay-name"]])).toEqual([["e1", "again"]]);
  });

  it("answers PutRule, ListRules and TestEventPattern like the service, refusing invalid patterns", async () => {
    await client.send(
      new PutRuleCommand({ Name: "all-questline", EventPattern: JSON.stringify({ source: ["questline"] }) }),
    );
    const rules = await client.send(new ListRulesCommand({}));
    expect(rules.Rules?.map((r) => r.Name)).toContain("all-questline");
    const test = await client.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({ detail: { state: [{ "anything-but": "pending" }] } }),
        Event: JSON.stringify({ id: "1", source: "x", "detail-type": "y", detail: { state: "running" } }),
      }),
    );
    expect(test.Result).toBe(true);
    await expect(
      client.send(new PutRuleCommand({ Name: "bad", EventPattern: JSON.stringify({ source: "questline" }) })),
    ).rejects.toMatchObject({ name: "InvalidEventPatternException" });
  });
});
