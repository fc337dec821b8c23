import { type Identity, identityToHeaders, newId, newWorkspaceId } from "@questline/contracts";
import { type RedisServer, startRedisServer } from "@questline/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractRequest } from "../../test/support/contract";
import { jsonRequest, TEST_ACCOUNT_ID } from "../../test/support/identity";
import { createApp } from "../app/create-app";
import type { ScoringEvent } from "./model";
import { createRedisClient } from "./redis-client";
import { useLeaderboardStore } from "./runtime";
import { applyScoringEvent } from "./scoring";
import { LeaderboardStore } from "./store";

/**
 * End to end through the HTTP app, with this file's own redis-server so the tests can flush
 * and kill it without disturbing other suites.
 */
let server: RedisServer;
let store: LeaderboardStore;
const app = createApp();
/** `app.request`, every answer checked against the API document and the reference (test/support/contract.ts). */
const request = contractRequest(app);

beforeAll(async () => {
  server = await startRedisServer();
  store = new LeaderboardStore(createRedisClient(server.url));
  useLeaderboardStore(store);
});
afterAll(async () => {
  useLeaderboardStore(undefined);
  store.client.disconnect();
  await server.stop();
});

function workspace() {
  const workspaceId = newWorkspaceId();
  const base: Identity = { accountId: TEST_ACCOUNT_ID, workspaceId, context: "dashboard", role: "editor", scopes: [] };
  return {
    workspaceId,
    admin: identityToHeaders(base),
    user: (userId: string) => identityToHeaders({ workspaceId, context: "app", userId, scopes: [] }),
  };
}

/** The entities the boards below rank by: activity `run` and tag `team-a`, created once per workspace. */
const referenced = new Set<string>();
async function ensureReferencedEntities(ws: ReturnType<typeof workspace>) {
  if (referenced.has(ws.workspaceId)) return;
  referenced.add(ws.workspaceId);
  const en = [{ lang: "en", label: "x" }];
  const activity = await request(
    "/dashboard/activities",
    jsonRequest("POST", ws.admin, { activityId: "run", name: "run", tags: [], defaultLang: "en", translations: en }),
  );
  expect(activity.status).toBe(201);
  const tag = await request(
    "/dashboard/tags",
    jsonRequest("POST", ws.admin, {
      tagId: "team-a",
      namespace: "team",
      variant: "a",
      defaultLang: "en",
      translations: en,
    }),
  );
  expect(tag.status).toBe(201);
}

async function setup(
  ws: ReturnType<typeof workspace>,
  config: Record<string, unknown> = {},
  timeframe: Record<string, unknown> = {},
) {
  await ensureReferencedEntities(ws);
  const created = await request(
    "/dashboard/runtime-leaderboard-configurations",
    jsonRequest("POST", ws.admin, {
      name: "XP board",
      score: { source: "ACTIVITY_VALUE", activityId: "run" },
      defaultLang: "en",
      translations: [{ lang: "en", label: "Runners" }],
      ...config,
    }),
  );
  expect(created.status).toBe(201);
  const { runtimeLeaderboardConfigurationId } = (await created.json()) as { runtimeLeaderboardConfigurationId: string };
  const instance = await request(
    `/dashboard/runtime-leaderboard-configurations/${runtimeLeaderboardConfigurationId}/instances`,
    jsonRequest("POST", ws.admin, {
      timeframeType: "PERMANENT",
      timeframeTimezoneType: "FIXED",
      timeframeTimezone: "UTC",
      timeframeStartsAt: "2020-01-01T00:00:00Z",
      ...timeframe,
    }),
  );
  expect(instance.status).toBe(200);
  return (await instance.json()) as { runtimeLeaderboardId: string; state: string; periodId: string };
}

function activity(
  ws: { workspaceId: string },
  userId: string,
  value: number,
  at: string,
  extra: Partial<ScoringEvent> = {},
) {
  return {
    eventId: newId(),
    workspaceId: ws.workspaceId,
    userId,
    kind: "ACTIVITY" as const,
    entityId: "run",
    value,
    occurredAt: at,
    user: { tags: [], displayName: `Name ${userId}` },
    ...extra,
  };
}

async function rankings(ws: ReturnType<typeof workspace>, id: string, userId = "viewer", query = "limit=100") {
  const res = await request(`/app/runtime-leaderboards/${id}/rankings?${query}`, { headers: ws.user(userId) });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown> & {
      items: { rank: number; entityId: string; score: number }[];
      totalCount: number;
    },
  };
}

describe("runtime leaderboards", () => {
  it("ranks users from events with RANK ties ordered by who reached the score first", async () => {
    const ws = workspace();
    const lb = await setup(ws);
    expect(lb).toMatchObject({ state: "ACTIVE", periodId: "PERMANENT" });
    await applyScoringEvent(store, activity(ws, "late", 10, "2025-01-01T10:00:00Z"));
    await applyScoringEvent(store, activity(ws, "early", 10, "2025-01-01T09:00:00Z"));
    await applyScoringEvent(store, activity(ws, "top", 25, "2025-01-01T11:00:00Z"));
    await applyScoringEvent(store, activity(ws, "low", 3, "2025-01-01T08:00:00Z"));
    const { status, body } = await rankings(ws, lb.runtimeLeaderboardId, "late");
    expect(status).toBe(200);
    expect(body.totalCount).toBe(4);
    expect(body.items.map((i) => [i.rank, i.entityId, i.score])).toEqual([
      [1, "top", 25],
      [2, "early", 10],
      [2, "late", 10],
      [4, "low", 3],
    ]);
    expect(body.items[0]).toMatchObject({ entityType: "User", primaryEntityName: "Name top" });
    expect(body.currentEntityRank).toMatchObject({ rank: 2, entityId: "late", score: 10 });
    const me = await request(`/app/runtime-leaderboards/${lb.runtimeLeaderboardId}/rankings/me`, {
      headers: ws.user("low"),
    });
    expect(await me.json()).toEqual({ rank: 4, score: 3, totalParticipants: 4 });
    const nobody = await request(`/app/runtime-leaderboards/${lb.runtimeLeaderboardId}/rankings/me`, {
      headers: ws.user("nobody"),
    });
    expect(await nobody.json()).toEqual({ rank: null, score: null, totalParticipants: 4 });
  });

  it("counts a retried event once, and concurrent events for one user and across users all count", async () => {
    const ws = workspace();
    const lb = await setup(ws);
    const event = activity(ws, "u1", 5, "2025-02-01T00:00:00Z");
    const results = await Promise.all([1, 2, 3].map(() => applyScoringEvent(store, event)));
    expect(results.flat().filter((r) => r.applied)).toHaveLength(1);
    const burst = Array.from({ length: 30 }, (_, i) =>
      activity(ws, `u${i % 3}`, 1, new Date(Date.UTC(2025, 1, 2, 0, 0, i)).toISOString()),
    );
    await Promise.all(burst.map((e) => applyScoringEvent(store, e)));
    const { body } = await rankings(ws, lb.runtimeLeaderboardId);
    expect(Object.fromEntries(body.items.map((i) => [i.entityId, i.score]))).toEqual({ u1: 15, u0: 10, u2: 10 });
  });

  it("applies eligibility, the JsonLogic weight, displayTopN and the DENSE_RANK / ROW_NUMBER policies", async () => {
    const ws = workspace();
    const lb = await setup(ws, {
      eligibleUsers: { type: "TAG", tagId: "team-a" },
      score: { source: "ACTIVITY_COUNT", activityId: "run" },
      weightExpression: { "*": [2, { var: "event.km" }] },
      displayTopN: 2,
      tieBreak: "DENSE_RANK",
    });
    const tagged = { tags: ["team-a"] };
    await applyScoringEvent(store, activity(ws, "a", 1, "2025-01-01T00:00:00Z", { user: tagged, data: { km: 5 } }));
    await applyScoringEvent(store, activity(ws, "b", 1, "2025-01-01T00:00:01Z", { user: tagged, data: { km: 5 } }));
    await applyScoringEvent(store, activity(ws, "c", 1, "2025-01-01T00:00:02Z", { user: tagged, data: { km: 1 } }));
    await applyScoringEvent(store, activity(ws, "outsider", 1, "2025-01-01T00:00:00Z", { data: { km: 50 } }));
    const { body } = await rankings(ws, lb.runtimeLeaderboardId, "c");
    expect(body.totalCount).toBe(3);
    expect(body.items.map((i) => [i.rank, i.entityId, i.score])).toEqual([
      [1, "a", 10],
      [1, "b", 10],
    ]);
    expect(body.currentEntityRank).toMatchObject({ rank: 2, entityId: "c", score: 2 });
  });

  it("rolls a recurring daily board over: the ended day is frozen and still queryable", async () => {
    const ws = workspace();
    const yesterday = new Date(Date.now() - 86_400_000);
    const start = new Date(Date.UTC(yesterday.getUTCFullYear(), yesterday.getUTCMonth(), yesterday.getUTCDate()));
    const first = await setup(
      ws,
      {},
      {
        timeframeType: "RECURRING",
        recurrence: "DAILY",
        timeframeStartsAt: start.toISOString(),
      },
    );
    // the instance created now is today's; yesterday's is created by its (late) events only
    const today = new Date().toISOString().slice(0, 10);
    expect(first.periodId).toBe(today);
    const inYesterday = new Date(start.getTime() + 3_600_000).toISOString();
    const late = await applyScoringEvent(store, activity(ws, "u", 7, inYesterday));
    expect(late).toEqual([]); // yesterday has ended: frozen
    await applyScoringEvent(store, activity(ws, "u", 4, new Date().toISOString()));
    const list = await request("/app/runtime-leaderboards", { headers: ws.user("u") });
    const items = ((await list.json()) as { items: { periodId: string; state: string }[] }).items;
    expect(items.map((i) => [i.periodId, i.state])).toEqual([[today, "ACTIVE"]]);
    const { body } = await rankings(ws, first.runtimeLeaderboardId);
    expect(body.items.map((i) => [i.entityId, i.score])).toEqual([["u", 4]]);
  });

  it("rebuilds identical rankings after Redis is flushed, and answers 503 while Redis is down", async () => {
    const ws = workspace();
    const lb = await setup(ws, { tieBreak: "ROW_NUMBER", displayTopN: 100 });
    const events = Array.from({ length: 60 }, (_, i) =>
      activity(ws, `user-${i % 20}`, 1 + ((i * 7) % 5), new Date(Date.UTC(2025, 0, 1, 0, 0, i % 13)).toISOString()),
    );
    for (const e of events) await applyScoringEvent(store, e);
    const before = await rankings(ws, lb.runtimeLeaderboardId);
    expect(before.body.totalCount).toBe(20);

    await store.client.flushall();
    const after = await rankings(ws, lb.runtimeLeaderboardId);
    expect(after.body).toEqual(before.body);

    // Redis down: reads 503 + Retry-After, writes still succeed in DynamoDB
    await server.stop();
    const down = await rankings(ws, lb.runtimeLeaderboardId);
    expect(down.status).toBe(503);
    expect(down.headers.get("retry-after")).toBeTruthy();
    expect(down.body).toMatchObject({ error: { code: "upstream.unavailable" } });
    const outcomes = await applyScoringEvent(store, activity(ws, "user-3", 100, "2025-01-02T00:00:00Z"));
    expect(outcomes).toMatchObject([{ applied: true, redis: "failed" }]);

    // Redis back (same port, empty or not): the board catches up from DynamoDB
    server = await startRedisServer({ port: server.port });
    let caughtUp = await rankings(ws, lb.runtimeLeaderboardId);
    for (let i = 0; caughtUp.status !== 200 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      caughtUp = await rankings(ws, lb.runtimeLeaderboardId);
    }
    expect(caughtUp.status).toBe(200);
    expect(caughtUp.body.items[0]).toMatchObject({ rank: 1, entityId: "user-3" });
    const expected = Object.fromEntries(
      before.body.items.map((i) => [i.entityId, i.entityId === "user-3" ? i.score + 100 : i.score]),
    );
    expect(Object.fromEntries(caughtUp.body.items.map((i) => [i.entityId, i.score]))).toEqual(expected);
    const scores = caughtUp.body.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    expect(caughtUp.body.totalCount).toBe(20);
  });

  it("refuses a configuration whose score source or eligibility tag does not exist in the workspace", async () => {
    const ws = workspace();
    await ensureReferencedEntities(ws);
    const post = (body: Record<string, unknown>) =>
      request(
        "/dashboard/runtime-leaderboard-configurations",
        jsonRequest("POST", ws.admin, {
          name: "Board",
          score: { source: "ACTIVITY_VALUE", activityId: "run" },
          defaultLang: "en",
          translations: [{ lang: "en", label: "Board" }],
          ...body,
        }),
      );
    for (const [body, path] of [
      [{ score: { source: "ACTIVITY_COUNT", activityId: "no-such-activity" } }, "score.activityId"],
      [
        { score: { source: "VIRTUAL_CURRENCY_CREDITS", virtualCurrencyId: "no-such-currency" } },
        "score.virtualCurrencyId",
      ],
      [{ eligibleUsers: { type: "TAG", tagId: "no-such-tag" } }, "eligibleUsers.tagId"],
    ] as const) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const error = ((await res.json()) as { error: { code: string; details: { path: string }[] } }).error;
      expect(error.code).toBe("request.validation_failed");
      expect(error.details.map((d) => d.path)).toEqual([path]);
    }
    const list = await request("/dashboard/runtime-leaderboard-configurations", { headers: ws.admin });
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
    expect((await post({ eligibleUsers: { type: "TAG", tagId: "team-a" } })).status).toBe(201);
  });

  it("keeps workspaces apart", async () => {
    const a = workspace();
    const b = workspace();
    const lb = await setup(a);
    const res = await request(`/app/runtime-leaderboards/${lb.runtimeLeaderboardId}/rankings`, {
      headers: b.user("x"),
    });
    expect(res.status).toBe(404);
  });
});
