import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  activity,
  type Caller,
  currency,
  published,
  rewardRule,
  testWorkspace,
  user,
} from "../../test/support/callers";
import { activityLogKey } from "../activities/logs";
import { documentDb, tableName } from "../db/client";
import { DOMAIN_EVENT_DATA, type DomainEventType, domainEventSchema } from "../event-bus/catalog";
import type { DomainEvent } from "../events/types";
import { settleStreaks } from "./service";

/** The domain events a log's run published (its outbox), each checked against the catalog, field for field. */
async function publishedBy(workspaceId: string, userId: string, activityLogId: string): Promise<DomainEvent[]> {
  const out = await documentDb().send(
    new GetCommand({
      TableName: tableName(),
      Key: activityLogKey(workspaceId, userId, activityLogId),
      ConsistentRead: true,
    }),
  );
  const events = (out.Item?.domainEvents ?? []) as DomainEvent[];
  for (const event of events) {
    const type = event.type as DomainEventType;
    const strict = domainEventSchema(type).extend({ data: DOMAIN_EVENT_DATA[type].strict() }).strict();
    expect(strict.safeParse(event).error?.issues ?? [], event.type).toEqual([]);
  }
  return events;
}

interface Streak {
  streakId: string;
  streakRuleId: string;
  status: string;
  count: number;
  longestCount: number;
  freezesUsed: number;
  iterationId?: number;
  goalId?: number;
  target?: number;
  goal?: { progress: number; cycleCompleted: boolean };
  streakConfiguration?: Record<string, unknown>;
  records?: StreakRecordBody[];
}
interface StreakRecordBody {
  periodType: string;
  periodId: string;
  kind: string;
  count: number;
  freezeCount?: number;
  perfectWeek?: boolean;
}

/** Only `Date` is faked: requests run at a chosen instant, timers and I/O stay real. */
function at(iso: string): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(iso));
}

afterEach(() => {
  vi.useRealTimers();
});

interface SetupOptions {
  cadence?: "DAY" | "WEEK";
  goalTargets?: number[];
  freeze?: false | { cost?: unknown };
  timezone?: string;
  balance?: number;
}

async function setup(options: SetupOptions = {}) {
  const ws = testWorkspace();
  const { admin } = ws;
  const activityId = await activity(admin);
  const coins = await currency(admin);
  const streakConfigurationId = await published(
    admin,
    "streak-configurations",
    {
      name: "daily run",
      matchType: "INSTANCE",
      matchEntity: "Activity",
      matchEntityId: activityId,
      matchCondition: null,
      defaultLang: "en",
      translations: [{ lang: "en", label: "Daily run" }],
    },
    "streakConfigurationId",
  );
  const cadence = options.cadence ?? "DAY";
  const freeze = options.freeze ?? { cost: 2 };
  const streakRuleId = await published(
    admin,
    "streak-rules",
    {
      name: "runner",
      streakConfigurationId,
      timeframeType: "PERMANENT",
      timeframeTimezoneType: "USER",
      timeframeStartsAt: "2020-01-01T00:00:00Z",
      cadence,
      metric: cadence === "DAY" ? "DAYS" : "WEEKS",
      perfectWeekEnabled: cadence === "DAY",
      goalTargets: options.goalTargets ?? [7, 30],
      ...(freeze
        ? {
            freezeEnabled: true,
            freezeVirtualCurrencyId: coins,
            ...(freeze.cost !== undefined ? { freezeCostExpression: freeze.cost } : {}),
          }
        : { freezeEnabled: false }),
      defaultLang: "en",
      translations: [{ lang: "en", name: "Runner" }],
    },
    "streakRuleId",
  );
  const userId = await user(admin, { timezone: options.timezone ?? "UTC" });
  if (options.balance) {
    await admin.json(
      "POST",
      "/dashboard/virtual-transactions",
      {
        transactions: [
          { virtualCurrencyId: coins, redemptionMode: "AUTO", amount: options.balance, destinationUserId: userId },
        ],
      },
      201,
    );
  }
  const me = ws.asUser(userId);
  const log = (body: Record<string, unknown> = {}) =>
    me.json("POST", "/app/activity-logs", { activityId, ...body }, 200);
  const streak = async (query = "") => {
    const list = await me.json<{ items: Streak[] }>("GET", "/app/streaks", undefined, 200);
    const id = list.items.find((s) => s.streakRuleId === streakRuleId)!.streakId;
    return me.json<Streak>("GET", `/app/streaks/${id}${query}`, undefined, 200);
  };
  const balance = async () =>
    (await me.json<{ availableAmount: number }>("GET", `/app/virtual-balances/${coins}`, undefined, 200))
      .availableAmount;
  return { ...ws, activityId, coins, streakRuleId, streakConfigurationId, userId, me, log, streak, balance };
}

function record(s: Streak, periodType: string, periodId: string) {
  return s.records?.find((r) => r.periodType === periodType && r.periodId === periodId);
}

describe("streaks (app)", () => {
  it("an activity log advances the streak once per day; duplicates the same day count once", async () => {
    at("2030-03-04T08:00:00Z");
    const t = await setup();
    const empty = await t.me.json<{ items: Streak[] }>("GET", "/app/streaks", undefined, 200);
    expect(empty.items).toHaveLength(1);
    expect(empty.items[0]).toMatchObject({ status: "ACTIVE", count: 0, longestCount: 0 });
    // Nothing counted yet: no last contributing day (absent, as the reference has it, not null);
    // the nested configuration is the published version, with its timestamps.
    expect(empty.items[0]).not.toHaveProperty("lastContributingDay");
    expect(empty.items[0]?.streakConfiguration).toMatchObject({
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    await t.log();
    at("2030-03-04T20:00:00Z");
    await t.log();
    await t.log({ completedAt: "2030-03-04T09:00:00Z" });
    expect(await t.streak()).toMatchObject({
      count: 1,
      longestCount: 1,
      status: "ACTIVE",
      lastContributingDay: "2030-03-04",
    });
    at("2030-03-05T07:00:00Z");
    await t.log();
    const s = await t.streak();
    expect(s).toMatchObject({ count: 2, longestCount: 2, iterationId: 1, goalId: 1, target: 7 });
    expect(record(s, "DAY", "2030-03-04")).toMatchObject({ kind: "REGULAR" });
    expect(record(s, "DAY", "2030-03-05")).toMatchObject({ kind: "REGULAR" });
    expect(record(s, "WEEK", "2030-W10")).toMatchObject({ count: 2, freezeCount: 0, perfectWeek: false });
    expect(record(s, "MONTH", "2030-03")).toMatchObject({ count: 2 });
    expect(record(s, "YEAR", "2030")).toMatchObject({ count: 2 });
    expect(s.records?.filter((r) => r.periodType === "DAY")).toHaveLength(2);
  });

  it("a missed day with enough balance uses a freeze, debited once however often and concurrently it is read", async () => {
    at("2030-03-04T08:00:00Z");
    const t = await setup({ balance: 5, freeze: { cost: 2 } });
    await t.log();
    at("2030-03-05T08:00:00Z");
    await t.log();
    // 2030-03-06 is missed; on the 7th it is final.
    at("2030-03-07T09:00:00Z");
    await Promise.all(Array.from({ length: 5 }, () => t.me.json("GET", "/app/streaks", undefined, 200)));
    const s = await t.streak();
    expect(s).toMatchObject({ count: 2, status: "ACTIVE", freezesUsed: 1 });
    expect(record(s, "DAY", "2030-03-06")).toMatchObject({ kind: "FREEZE" });
    expect(record(s, "WEEK", "2030-W10")).toMatchObject({ count: 2, freezeCount: 1 });
    expect(await t.balance()).toBe(3);
    const history = await t.me.json<{ items: { virtualTransactionId: string; initiatorType: string }[] }>(
      "GET",
      "/app/virtual-transactions",
      undefined,
      200,
    );
    const freezes = history.items.filter((i) => i.initiatorType === "STREAK_RULE");
    expect(freezes.map((i) => i.virtualTransactionId)).toEqual([`${t.streakRuleId}:${t.userId}:2030-03-06`]);
    await t.log();
    expect(await t.streak()).toMatchObject({ count: 3, longestCount: 3 });
    expect(await t.balance()).toBe(3);
  });

  it("an event after a missed day pays the freeze in its own transaction", async () => {
    at("2030-03-04T08:00:00Z");
    const t = await setup({ balance: 1, freeze: {} });
    await t.log();
    at("2030-03-06T08:00:00Z");
    await t.log();
    const s = await t.streak();
    expect(s).toMatchObject({ count: 2, freezesUsed: 1, status: "ACTIVE" });
    expect(record(s, "DAY", "2030-03-05")).toMatchObject({ kind: "FREEZE" });
    expect(await t.balance()).toBe(0);
  });

  it("a log that earns the freeze currency and pays a freeze updates the balance once (one transaction)", async () => {
    at("2030-03-04T08:00:00Z");
    const t = await setup({ balance: 2, freeze: { cost: 2 } });
    await rewardRule(t.admin, {
      ruleType: "INSTANCE",
      matchEntity: "Activity",
      matchEntityId: t.activityId,
      applicationMode: "ALWAYS",
      rewards: [{ virtualCurrencyId: t.coins, redemptionMode: "AUTO", expression: 5 }],
    });
    await t.log();
    expect(await t.balance()).toBe(7);
    at("2030-03-06T08:00:00Z");
    await t.log();
    expect(await t.streak()).toMatchObject({ count: 2, freezesUsed: 1 });
    expect(await t.balance()).toBe(10);
  });

  it("a log racing concurrent reads charges the missed day once", async () => {
    at("2030-03-04T08:00:00Z");
    const t = await setup({ balance: 10, freeze: { cost: 3 } });
    await t.log();
    at("2030-03-06T08:00:00Z");
    await Promise.all([
      t.log(),
      ...Array.from({ length: 4 }, () => t.me.json("GET", "/app/streaks", undefined, 200)),
      t.log(),
    ]);
    expect(await t.streak()).toMatchObject({ count: 2, freezesUsed: 1, status: "ACTIVE" });
    expect(await t.balance()).toBe(7);
  });

  it("publishes each streak effect once, as the event catalog describes it: extended, frozen, broken", async () => {
    at("2030-03-04T08:00:00Z");
    const t = await setup({ balance: 1, freeze: {} });
    await t.log({ activityLogId: "day-1" });
    at("2030-03-06T08:00:00Z");
    await t.log({ activityLogId: "day-3" });
    const first = await publishedBy(t.workspaceId, t.userId, "day-1");
    expect(first.filter((e) => e.type.startsWith("streak.")).map((e) => e.type)).toEqual(["streak.extended"]);
    expect(first.find((e) => e.type === "streak.extended")?.data).toMatchObject({
      streakRuleId: t.streakRuleId,
      count: 1,
    });
    const third = await publishedBy(t.workspaceId, t.userId, "day-3");
    const streakEvents = third.filter((e) => e.type.startsWith("streak."));
    expect(streakEvents.map((e) => e.type).sort()).toEqual(["streak.extended", "streak.frozen"]);
    expect(streakEvents.find((e) => e.type === "streak.frozen")?.data).toMatchObject({ frozenPeriods: 1 });

    at("2030-03-04T08:00:00Z");
    const u = await setup({ freeze: false });
    await u.log({ activityLogId: "day-1" });
    at("2030-03-07T08:00:00Z");
    await u.log({ activityLogId: "day-4" });
    const after = (await publishedBy(u.workspaceId, u.userId, "day-4")).filter((e) => e.type.startsWith("streak."));
    expect(after.map((e) => e.type).sort()).toEqual(["streak.broken", "streak.extended"]);
    expect(after.find((e) => e.type === "streak.extended")?.data).toMatchObject({ count: 1 });
  });

  it("without enough balance a missed day breaks the streak; nothing is charged", async () => {
    at("2030-03-04T08:00:00Z");
    const t = await setup({ balance: 1, freeze: { cost: 2 } });
    await t.log();
    at("2030-03-05T08:00:00Z");
    await t.log();
    at("2030-03-07T08:00:00Z");
    expect(await t.streak()).toMatchObject({ count: 0, longestCount: 2, status: "BROKEN" });
    expect(await t.balance()).toBe(1);
    await t.log();
    expect(await t.streak()).toMatchObject({ count: 1, longestCount: 2, status: "ACTIVE" });
  });

  it("WEEK cadence: one count per ISO week; a missed week without freezes breaks", async () => {
    at("2030-03-04T08:00:00Z");
    const t = await setup({ cadence: "WEEK", freeze: false });
    await t.log();
    at("2030-03-06T08:00:00Z");
    await t.log();
    expect(await t.streak()).toMatchObject({ count: 1 });
    at("2030-03-11T08:00:00Z");
    await t.log();
    const s = await t.streak();
    expect(s).toMatchObject({ count: 2, status: "ACTIVE" });
    expect(record(s, "WEEK", "2030-W10")).toMatchObject({ kind: "REGULAR" });
    expect(record(s, "WEEK", "2030-W11")).toMatchObject({ kind: "REGULAR" });
    expect(record(s, "MONTH", "2030-03")).toMatchObject({ count: 2 });
    at("2030-03-26T08:00:00Z");
    expect(await t.streak()).toMatchObject({ count: 0, longestCount: 2, status: "BROKEN" });
  });

  it("goal targets: the last goal completes the cycle, the next period starts a new one", async () => {
    at("2030-03-04T08:00:00Z");
    const t = await setup({ goalTargets: [2, 3] });
    const days = ["2030-03-04", "2030-03-05", "2030-03-06", "2030-03-07"];
    const seen: Streak[] = [];
    for (const day of days) {
      at(`${day}T10:00:00Z`);
      await t.log();
      seen.push(await t.streak());
    }
    expect(seen.map((s) => [s.status, s.count, s.iterationId, s.goalId, s.target])).toEqual([
      ["ACTIVE", 1, 1, 1, 2],
      ["ACTIVE", 2, 1, 1, 2],
      ["COMPLETED", 3, 1, 2, 3],
      ["ACTIVE", 4, 2, 1, 2],
    ]);
    expect(seen[2]!.goal).toMatchObject({ progress: 3, cycleCompleted: true });
  });

  it("periods follow the user's time zone (23:30 local is still that local day)", async () => {
    at("2030-01-11T19:00:00Z");
    const t = await setup({ timezone: "America/Los_Angeles" });
    // 2030-01-10 23:30 in Los Angeles is 2030-01-11 07:30 UTC.
    await t.log({ completedAt: "2030-01-10T23:30:00-08:00" });
    await t.log({ completedAt: "2030-01-11T10:00:00-08:00" });
    const s = await t.streak();
    expect(s).toMatchObject({ count: 2 });
    expect(record(s, "DAY", "2030-01-10")).toBeDefined();
    expect(record(s, "DAY", "2030-01-11")).toBeDefined();
  });

  it("settleStreaks charges a freeze at the period end; later reads do not charge again", async () => {
    at("2030-03-04T08:00:00Z");
    const t = await setup({ balance: 4, freeze: { cost: { "+": [1, { var: "streak.freezesUsed" }] } } });
    await t.log();
    expect(await settleStreaks(t.workspaceId, new Date("2030-03-05T23:00:00Z"))).toBe(0);
    expect(await settleStreaks(t.workspaceId, new Date("2030-03-06T00:00:01Z"))).toBe(1);
    expect(await t.balance()).toBe(3);
    expect(await settleStreaks(t.workspaceId, new Date("2030-03-07T00:00:01Z"))).toBe(1);
    expect(await t.balance()).toBe(1);
    at("2030-03-07T09:00:00Z");
    expect(await t.streak()).toMatchObject({ count: 1, freezesUsed: 2, status: "ACTIVE" });
    expect(await t.balance()).toBe(1);
  });

  it("another workspace's streak id is 404", async () => {
    at("2030-03-04T08:00:00Z");
    const a = await setup();
    const b = await setup();
    await a.log();
    const mine = await a.streak();
    const res = await b.me.request("GET", `/app/streaks/${mine.streakId}`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("resource.not_found");
  });
});

describe("streak list (the reference's query: periodType, from/to, goal filters, pages)", () => {
  interface Entry {
    streakId: string;
    streakRuleId: string;
    periodType: string;
    periodId: string;
    kind: string;
    count: number;
    status: string;
    cadence?: string;
    goalId?: number;
    iterationId?: number;
    target?: number;
  }
  type Page = { items: Entry[]; nextToken: string | null };

  async function threeDays() {
    at("2030-03-04T08:00:00Z");
    const t = await setup({ goalTargets: [2, 5] });
    for (const day of ["2030-03-04", "2030-03-05", "2030-03-06"]) {
      at(`${day}T10:00:00Z`);
      await t.log();
    }
    return t;
  }

  it("without periodType the counters (ITERATION), as before; GOAL the goal each works toward", async () => {
    const t = await threeDays();
    const plain = await t.me.json<Page>("GET", "/app/streaks", undefined, 200);
    expect(plain.items).toEqual([
      expect.objectContaining({ periodType: "ITERATION", count: 3, iterationId: 1, goalId: 2, target: 5 }),
    ]);
    expect(plain.nextToken).toBeNull();
    const goals = await t.me.json<Page>("GET", "/app/streaks?periodType=GOAL", undefined, 200);
    expect(goals.items).toEqual([
      expect.objectContaining({ periodType: "GOAL", count: 3, goalId: 2, target: 5, status: "ACTIVE" }),
    ]);
    const filtered = async (q: string) =>
      (await t.me.json<Page>("GET", `/app/streaks?${q}`, undefined, 200)).items.length;
    expect(await filtered("periodType=ITERATION&goalId=2&iterationId=1&target=5")).toBe(1);
    expect(await filtered("goalId=1")).toBe(0);
    expect(await filtered("periodType=GOAL&iterationId=2")).toBe(0);
    // from/to on counters: when they last changed (the last log was on the 6th).
    expect(await filtered("from=2030-03-06T00:00:00Z")).toBe(1);
    expect(await filtered("to=2030-03-05T23:59:59Z")).toBe(0);
  });

  it("a calendar periodType lists the records of the user's streaks overlapping from..to, oldest first", async () => {
    const t = await threeDays();
    const days = await t.me.json<Page>("GET", "/app/streaks?periodType=DAY", undefined, 200);
    expect(days.items.map((e) => [e.periodType, e.periodId, e.kind, e.count])).toEqual([
      ["DAY", "2030-03-04", "REGULAR", 1],
      ["DAY", "2030-03-05", "REGULAR", 1],
      ["DAY", "2030-03-06", "REGULAR", 1],
    ]);
    expect(days.items[0]).toMatchObject({ streakRuleId: t.streakRuleId, status: "ACTIVE", cadence: "DAY" });
    const window = await t.me.json<Page>(
      "GET",
      "/app/streaks?periodType=DAY&from=2030-03-05T12:00:00Z&to=2030-03-06T00:00:00Z",
      undefined,
      200,
    );
    expect(window.items.map((e) => e.periodId)).toEqual(["2030-03-05", "2030-03-06"]);
    const weeks = await t.me.json<Page>("GET", "/app/streaks?periodType=WEEK", undefined, 200);
    expect(weeks.items).toEqual([expect.objectContaining({ periodId: "2030-W10", kind: "ANY", count: 3 })]);
    expect((await t.me.json<Page>("GET", "/app/streaks?periodType=DAY&status=BROKEN", undefined, 200)).items).toEqual(
      [],
    );
  });

  it("pages with limit and nextToken; a token is valid only for the query and user that got it", async () => {
    const t = await threeDays();
    const first = await t.me.json<Page>("GET", "/app/streaks?periodType=DAY&limit=2", undefined, 200);
    expect(first.items.map((e) => e.periodId)).toEqual(["2030-03-04", "2030-03-05"]);
    expect(first.nextToken).toEqual(expect.any(String));
    const token = encodeURIComponent(first.nextToken!);
    const second = await t.me.json<Page>(
      "GET",
      `/app/streaks?periodType=DAY&limit=2&nextToken=${token}`,
      undefined,
      200,
    );
    expect(second.items.map((e) => e.periodId)).toEqual(["2030-03-06"]);
    expect(second.nextToken).toBeNull();
    for (const query of [
      `periodType=WEEK&nextToken=${token}`,
      `periodType=DAY&from=2030-03-01T00:00:00Z&nextToken=${token}`,
      `periodType=DAY&nextToken=${token}x`,
    ]) {
      const res = await t.me.request("GET", `/app/streaks?${query}`);
      expect(res.status, query).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: "request.validation_failed" });
    }
    const other = await setup();
    const res = await other.me.request("GET", `/app/streaks?periodType=DAY&limit=2&nextToken=${token}`);
    expect(res.status).toBe(400);
  });

  it("refuses what it cannot answer with a 400 naming the parameter", async () => {
    const t = await threeDays();
    for (const [query, path] of [
      ["periodType=HOUR", "periodType"],
      ["periodType=DAY&goalId=1", "goalId"],
      ["goalId=0", "goalId"],
      ["limit=101", "limit"],
      ["from=2030-03-06T00:00:00Z&to=2030-03-05T00:00:00Z", "from"],
      ["from=yesterday", "from"],
    ] as const) {
      const res = await t.me.request("GET", `/app/streaks?${query}`);
      expect(res.status, query).toBe(400);
      const { error } = await res.json();
      expect(error.code, query).toBe("request.validation_failed");
      expect(JSON.stringify(error.details), query).toContain(path);
    }
  });
});

describe("streaks (dashboard)", () => {
  async function base(admin: Caller) {
    const config = await admin.json<{ streakConfigurationId: string }>(
      "POST",
      "/dashboard/streak-configurations",
      {
        name: "any activity",
        matchType: "ENTITY",
        matchEntity: "Activity",
        matchCondition: { ">": [{ var: "event.value" }, 0] },
        defaultLang: "en",
        translations: [{ lang: "en", label: "Any" }],
      },
      201,
    );
    return {
      name: "r",
      streakConfigurationId: config.streakConfigurationId,
      timeframeType: "PERMANENT",
      timeframeTimezoneType: "USER",
      timeframeStartsAt: "2020-01-01T00:00:00Z",
      cadence: "DAY",
      metric: "DAYS",
      freezeEnabled: false,
      goalTargets: [7, 30, 100, 365],
      defaultLang: "en",
      translations: [{ lang: "en", name: "R" }],
    };
  }

  it("validates JsonLogic, field combinations and references; publish needs a published configuration", async () => {
    const { admin } = testWorkspace();
    const rule = await base(admin);
    const bad = async (body: Record<string, unknown>, path: string, code = "request.validation_failed") => {
      const res = await admin.request("POST", "/dashboard/streak-rules", { ...rule, ...body });
      expect(res.status).toBe(400);
      const error = (await res.json()).error;
      expect(error.code).toBe(code);
      expect(error.details[0].path).toBe(path);
    };
    await bad({ metric: "WEEKS" }, "metric");
    await bad({ freezeEnabled: true }, "freezeVirtualCurrencyId");
    await bad(
      { freezeEnabled: true, freezeVirtualCurrencyId: "nope", freezeCostExpression: { bogus: [1] } },
      "freezeCostExpression",
      "rules.invalid_jsonlogic",
    );
    await bad({ goalTargets: [30, 7] }, "goalTargets");
    await bad({ timeframeType: "RANGE" }, "timeframeEndsAt");
    await bad({ streakConfigurationId: "missing-config" }, "streakConfigurationId");
    const badConfig = await admin.request("POST", "/dashboard/streak-configurations", {
      name: "x",
      matchType: "INSTANCE",
      matchEntity: "Activity",
      matchCondition: null,
      defaultLang: "en",
      translations: [{ lang: "en", label: "X" }],
    });
    expect(badConfig.status).toBe(400);
    const created = await admin.json<{ streakRuleId: string; stage: string }>(
      "POST",
      "/dashboard/streak-rules",
      rule,
      201,
    );
    expect(created.stage).toBe("DRAFT");
    const publish = await admin.request("POST", `/dashboard/streak-rules/${created.streakRuleId}/publish`);
    expect(publish.status).toBe(400);
    await admin.json("POST", `/dashboard/streak-configurations/${rule.streakConfigurationId}/publish`, undefined, 200);
    const live = await admin.json<{ stage: string }>(
      "POST",
      `/dashboard/streak-rules/${created.streakRuleId}/publish`,
      undefined,
      200,
    );
    expect(live.stage).toBe("PUBLISHED");
    const updated = await admin.json<{ goalTargets: number[] }>(
      "PUT",
      `/dashboard/streak-rules/${created.streakRuleId}`,
      { goalTargets: [3] },
      200,
    );
    expect(updated.goalTargets).toEqual([3]);
    const list = await admin.json<{ items: unknown[] }>("GET", "/dashboard/streak-rules", undefined, 200);
    expect(list.items).toHaveLength(1);
  });

  it("only writer roles can change streak configurations and rules", async () => {
    const { admin, viewer } = testWorkspace();
    const rule = await base(admin);
    expect((await viewer.request("POST", "/dashboard/streak-rules", rule)).status).toBe(403);
    expect((await viewer.request("GET", "/dashboard/streak-rules")).status).toBe(200);
  });
});
