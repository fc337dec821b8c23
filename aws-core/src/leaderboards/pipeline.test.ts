import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { type Identity, identityToHeaders, newId, newWorkspaceId } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { activity, testWorkspace, user } from "../../test/support/callers";
import { contractRequest } from "../../test/support/contract";
import { jsonRequest, TEST_ACCOUNT_ID } from "../../test/support/identity";
import { createApp } from "../app/create-app";
import { documentDb, tableName } from "../db/client";
import { getLive } from "../records/live";
import type { LeaderboardConfiguration, LeaderboardSeries } from "./model";
import { putSeries } from "./repository";

/** Leaderboards fed by the real exactly-once event pipeline (POST /app/activity-logs). */
const app = createApp();
/** `app.request`, every answer checked against the API document and the reference (test/support/contract.ts). */
const request = contractRequest(app);

describe("leaderboards through the event pipeline", () => {
  it("scores activity logs exactly once, whatever the retries, and concurrent logs all count", async () => {
    const workspaceId = newWorkspaceId();
    const admin = identityToHeaders({
      accountId: TEST_ACCOUNT_ID,
      workspaceId,
      context: "dashboard",
      role: "editor",
      scopes: [],
    } as Identity);
    const user = (userId: string) => identityToHeaders({ workspaceId, context: "app", userId, scopes: [] });
    const activity = await request(
      "/dashboard/activities",
      jsonRequest("POST", admin, {
        activityId: "run",
        name: "Run",
        defaultLang: "en",
        translations: [{ lang: "en", label: "Run" }],
      }),
    );
    expect(activity.status).toBe(201);
    expect((await request("/dashboard/activities/run/publish", jsonRequest("POST", admin))).status).toBeLessThan(300);
    const config = await request(
      "/dashboard/runtime-leaderboard-configurations",
      jsonRequest("POST", admin, {
        name: "Distance",
        score: { source: "ACTIVITY_VALUE", activityId: "run" },
        defaultLang: "en",
        translations: [{ lang: "en", label: "Distance" }],
      }),
    );
    const { runtimeLeaderboardConfigurationId: configId } = (await config.json()) as Record<string, string>;
    const instance = await request(
      `/dashboard/runtime-leaderboard-configurations/${configId}/instances`,
      jsonRequest("POST", admin, {
        timeframeType: "PERMANENT",
        timeframeTimezoneType: "FIXED",
        timeframeTimezone: "UTC",
        timeframeStartsAt: "2020-01-01T00:00:00Z",
      }),
    );
    const { runtimeLeaderboardId } = (await instance.json()) as Record<string, string>;

    const log = (userId: string, value: number, activityLogId = newId()) =>
      request("/app/activity-logs", jsonRequest("POST", user(userId), { activityId: "run", value, activityLogId }));
    const retried = newId();
    expect((await log("ann", 5, retried)).status).toBe(200);
    // Replays of the same log id (their response is the pipeline's business; the score must not move).
    await Promise.all([log("ann", 5, retried), log("ann", 5, retried)]);
    await Promise.all([log("ann", 2), log("ann", 3), log("bob", 4), log("bob", 4), log("cid", 1)]);

    const res = await request(`/app/runtime-leaderboards/${runtimeLeaderboardId}/rankings`, {
      headers: user("cid"),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      items: { rank: number; entityId: string; score: number }[];
      totalCount: number;
    };
    expect(body.items.map((i) => [i.rank, i.entityId, i.score])).toEqual([
      [1, "ann", 10],
      [2, "bob", 8],
      [3, "cid", 1],
    ]);
  });
});

describe("open leaderboard series in the live configuration", () => {
  const en = { defaultLang: "en", translations: [{ lang: "en", label: "Board" }] };
  const permanent = {
    timeframeType: "PERMANENT",
    timeframeTimezoneType: "FIXED",
    timeframeTimezone: "UTC",
    timeframeStartsAt: "2020-01-01T00:00:00Z",
  } as const;

  it("scores on a leaderboard created after logs warmed the cached configuration", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const me = asUser(await user(admin));
    await me.json("POST", "/app/activity-logs", { activityId, value: 2 }, 200);
    const config = await admin.json<{ runtimeLeaderboardConfigurationId: string }>(
      "POST",
      "/dashboard/runtime-leaderboard-configurations",
      { name: "Distance", score: { source: "ACTIVITY_VALUE", activityId }, ...en },
      201,
    );
    const instance = await admin.json<{ runtimeLeaderboardId: string }>(
      "POST",
      `/dashboard/runtime-leaderboard-configurations/${config.runtimeLeaderboardConfigurationId}/instances`,
      permanent,
      200,
    );
    await me.json("POST", "/app/activity-logs", { activityId, value: 5 }, 200);
    const ranks = await me.json<{ items: { score: number }[] }>(
      "GET",
      `/app/runtime-leaderboards/${instance.runtimeLeaderboardId}/rankings`,
      undefined,
      200,
    );
    expect(ranks.items.map((i) => i.score)).toEqual([5]);
  });

  it("backfills a series stored only on the open-series index, and drops a closed one from the live configuration", async () => {
    const { workspaceId, admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const config = await admin.json<LeaderboardConfiguration>(
      "POST",
      "/dashboard/runtime-leaderboard-configurations",
      { name: "Count", score: { source: "ACTIVITY_COUNT", activityId }, ...en },
      201,
    );
    const series = (seriesId: string, timeframe: LeaderboardSeries["timeframe"]): LeaderboardSeries => ({
      seriesId,
      workspaceId,
      runtimeLeaderboardConfigurationId: config.runtimeLeaderboardConfigurationId,
      timeframe,
      configuration: config,
      createdAt: new Date().toISOString(),
    });
    // As a series was stored before open series joined the live configuration.
    const legacy = series(newId(), permanent);
    await documentDb().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          pk: `WS#${workspaceId}`,
          sk: `LBSERIES#${legacy.seriesId}`,
          gsi2pk: `WS#${workspaceId}#LBSERIES`,
          gsi2sk: legacy.seriesId,
          ...legacy,
        },
      }),
    );
    // Open when stored, ended since.
    const ended = series(newId(), {
      timeframeType: "RANGE",
      timeframeTimezoneType: "FIXED",
      timeframeTimezone: "UTC",
      timeframeStartsAt: "2020-01-01T00:00:00Z",
      timeframeEndsAt: "2020-02-01T00:00:00Z",
    });
    await putSeries(ended, true);
    expect(await getLive(workspaceId, "leaderboardSeries", ended.seriesId)).not.toBeNull();

    await admin.json("GET", "/dashboard/runtime-leaderboards", undefined, 200);
    expect(await getLive(workspaceId, "leaderboardSeries", legacy.seriesId)).not.toBeNull();
    expect(await getLive(workspaceId, "leaderboardSeries", ended.seriesId)).toBeNull();

    const me = asUser(await user(admin));
    await me.json("POST", "/app/activity-logs", { activityId }, 200);
    const ranks = await me.json<{ items: { score: number }[] }>(
      "GET",
      `/app/runtime-leaderboards/${legacy.seriesId}/rankings`,
      undefined,
      200,
    );
    expect(ranks.items.map((i) => i.score)).toEqual([1]);
  });
});
