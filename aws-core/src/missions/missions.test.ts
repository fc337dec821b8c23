import { describe, expect, it } from "vitest";
import { activity, missionSetup, testWorkspace, user } from "../../test/support/callers";

type Mission = { missionId: string; currentAmount: number; targetAmount: number; state: string; periodId: string };

describe("missions", () => {
  it("LAZY rules assign when the user lists missions, once per period, with a frozen target", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const { missionConfigurationId } = await missionSetup(admin, activityId, {
      mode: "LAZY",
      configBody: { targetAmountExpression: { "+": [2, { var: "user.tags.length" }] } },
    });
    const me = asUser(await user(admin));
    // Logged before the user ever listed missions: no LAZY mission yet, nothing counts.
    await me.json("POST", "/app/activity-logs", { activityId }, 200);
    const first = await me.json<{ items: Mission[] }>("GET", "/app/missions");
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ currentAmount: 0, targetAmount: 2, state: "ACTIVE", periodId: "PERMANENT" });
    // The configuration changes; the existing mission keeps its target.
    await admin.json(
      "PUT",
      `/dashboard/mission-configurations/${missionConfigurationId}`,
      { targetAmountExpression: 50 },
      200,
    );
    await admin.json("POST", `/dashboard/mission-configurations/${missionConfigurationId}/publish`, undefined, 200);
    await me.json("POST", "/app/activity-logs", { activityId }, 200);
    const again = await me.json<{ items: Mission[] }>("GET", "/app/missions");
    expect(again.items).toHaveLength(1);
    expect(again.items[0]).toMatchObject({ currentAmount: 1, targetAmount: 2 });
    const one = await me.json<Mission>("GET", `/app/missions/${again.items[0]!.missionId}`, undefined, 200);
    expect(one.missionId).toBe(again.items[0]!.missionId);
  });

  it("concurrent LAZY listings create one mission", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    await missionSetup(admin, activityId, { mode: "LAZY" });
    const me = asUser(await user(admin));
    await Promise.all(Array.from({ length: 10 }, () => me.json("GET", "/app/missions", undefined, 200)));
    const list = await me.json<{ items: Mission[] }>("GET", "/app/missions");
    expect(list.items).toHaveLength(1);
  });

  it("a manually assigned mission in the future is PENDING without a target until it starts", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const { missionConfigurationId } = await missionSetup(admin, activityId, { mode: "LAZY" });
    const userId = await user(admin);
    const created = await admin.json<Mission & { targetAmount: number | null }>(
      "POST",
      "/dashboard/missions",
      {
        userId,
        missionType: "INDIVIDUAL",
        missionConfigurationId,
        timeframeType: "RANGE",
        startsAt: "2099-01-01T00:00:00Z",
        endsAt: "2099-02-01T00:00:00Z",
      },
      201,
    );
    expect(created).toMatchObject({ state: "PENDING", targetAmount: null, periodId: "2099-01-01T00:00:00.000Z" });
    await asUser(userId).json("POST", "/app/activity-logs", { activityId }, 200);
    const mission = await asUser(userId).json<Mission>("GET", `/app/missions/${created.missionId}`, undefined, 200);
    expect(mission.currentAmount).toBe(0);
  });

  it("pages /app/missions with limit and nextToken, newest first or oldest first, and refuses a forged token", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const { missionConfigurationId } = await missionSetup(admin, activityId, { mode: "LAZY" });
    const userId = await user(admin);
    const me = asUser(userId);
    const first = await me.json<{ items: Mission[] }>("GET", "/app/missions", undefined, 200); // the LAZY one
    const assigned: string[] = [first.items[0]!.missionId];
    for (let i = 0; i < 4; i++) {
      const created = await admin.json<Mission>(
        "POST",
        "/dashboard/missions",
        {
          userId,
          missionType: "INDIVIDUAL",
          missionConfigurationId,
          timeframeType: "PERMANENT",
          startsAt: "2020-01-01T00:00:00Z",
        },
        201,
      );
      assigned.push(created.missionId);
    }
    const all = async (order: "asc" | "desc") => {
      const seen: string[] = [];
      let token: string | null = null;
      do {
        const query: string = `limit=2&order=${order}${token ? `&nextToken=${encodeURIComponent(token)}` : ""}`;
        const page: { items: Mission[]; nextToken: string | null } = await me.json("GET", `/app/missions?${query}`);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((m) => m.missionId));
        token = page.nextToken;
      } while (token);
      return seen;
    };
    const newest = await all("desc");
    expect(newest).toHaveLength(5);
    expect(new Set(newest)).toEqual(new Set(assigned));
    expect(await all("asc")).toEqual([...newest].reverse());
    expect(newest.at(-1)).toBe(assigned[0]);
    const bad = await me.request("GET", "/app/missions?nextToken=bm9wZQ");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "request.validation_failed" } });
  });
});
