import { type Identity, identityToHeaders, newId, newWorkspaceId } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { jsonRequest } from "../../test/support/identity";
import { createApp } from "../http/app";

/** Leaderboards fed by the real exactly-once event pipeline (POST /app/activity-logs). */
const app = createApp();

describe("leaderboards through the event pipeline", () => {
  it("scores activity logs exactly once, whatever the retries, and concurrent logs all count", async () => {
    const workspaceId = newWorkspaceId();
    const admin = identityToHeaders({ workspaceId, context: "dashboard", role: "editor", scopes: [] } as Identity);
    const user = (userId: string) => identityToHeaders({ workspaceId, context: "app", userId, scopes: [] });
    const activity = await app.request(
      "/dashboard/activities",
      jsonRequest("POST", admin, {
        activityId: "run",
        name: "Run",
        defaultLang: "en",
        translations: [{ lang: "en", label: "Run" }],
      }),
    );
    expect(activity.status).toBe(201);
    expect((await app.request("/dashboard/activities/run/publish", jsonRequest("POST", admin))).status).toBeLessThan(
      300,
    );
    const config = await app.request(
      "/dashboard/runtime-leaderboard-configurations",
      jsonRequest("POST", admin, {
        name: "Distance",
        score: { source: "ACTIVITY_VALUE", activityId: "run" },
        defaultLang: "en",
        translations: [{ lang: "en", label: "Distance" }],
      }),
    );
    const { runtimeLeaderboardConfigurationId: configId } = (await config.json()) as Record<string, string>;
    const instance = await app.request(
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
      app.request("/app/activity-logs", jsonRequest("POST", user(userId), { activityId: "run", value, activityLogId }));
    const retried = newId();
    expect((await log("ann", 5, retried)).status).toBe(200);
    // Replays of the same log id (their response is the pipeline's business; the score must not move).
    await Promise.all([log("ann", 5, retried), log("ann", 5, retried)]);
    await Promise.all([log("ann", 2), log("ann", 3), log("bob", 4), log("bob", 4), log("cid", 1)]);

    const res = await app.request(`/app/runtime-leaderboards/${runtimeLeaderboardId}/rankings`, {
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
