import { describe, expect, it } from "vitest";
import { activity, currency, missionSetup, rewardRule, testWorkspace, user } from "../../test/support/callers";
import { getLive } from "./live";

const en = { defaultLang: "en", translations: [{ lang: "en", label: "X" }] };
type ErrorBody = { error: { code: string; details?: { path: string }[] } };

describe("DELETE on configurations", () => {
  it("removes a draft; a re-created id continues above the deleted version", async () => {
    const { admin, viewer } = testWorkspace();
    await admin.json("POST", "/dashboard/activities", { activityId: "walk", name: "walk", ...en }, 201);
    expect((await viewer.request("DELETE", "/dashboard/activities/walk")).status).toBe(403);
    const stale = await admin.request("DELETE", "/dashboard/activities/walk", undefined, { "if-match": '"7"' });
    expect(stale.status).toBe(409);
    const res = await admin.request("DELETE", "/dashboard/activities/walk");
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect((await admin.request("GET", "/dashboard/activities/walk")).status).toBe(404);
    expect((await admin.request("DELETE", "/dashboard/activities/walk")).status).toBe(404);
    const again = await admin.json<{ version: number }>(
      "POST",
      "/dashboard/activities",
      { activityId: "walk", name: "walk", ...en },
      201,
    );
    expect(again.version).toBe(3);
  });

  it("refuses (409, naming the live references) to delete a published configuration that live rules use, then deletes it once they are gone", async () => {
    const { workspaceId, admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const coins = await currency(admin);
    const { missionConfigurationId, missionRuleId } = await missionSetup(admin, activityId);
    const rewardRuleId = await rewardRule(admin, {
      ruleType: "INSTANCE",
      matchEntity: "Activity",
      matchEntityId: activityId,
      applicationMode: "ALWAYS",
      rewards: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", expression: 5 }],
    });
    const me = asUser(await user(admin));
    await me.json("POST", "/app/activity-logs", { activityId }, 200);

    const refused = await admin.json<ErrorBody>("DELETE", `/dashboard/virtual-currencies/${coins}`, undefined, 409);
    expect(refused.error.code).toBe("resource.conflict");
    expect(refused.error.details?.map((d) => d.path)).toEqual([`rewardRule/${rewardRuleId}`]);
    const activityRefs = await admin.json<ErrorBody>("DELETE", `/dashboard/activities/${activityId}`, undefined, 409);
    expect(activityRefs.error.details?.map((d) => d.path).sort()).toEqual(
      [
        `missionConfiguration/${missionConfigurationId}`,
        `missionRule/${missionRuleId}`,
        `rewardRule/${rewardRuleId}`,
      ].sort(),
    );
    await admin.json("DELETE", `/dashboard/mission-configurations/${missionConfigurationId}`, undefined, 409);

    // Rules reference nothing that blocks them: deleting one stops it at once.
    expect((await admin.request("DELETE", `/dashboard/reward-rules/${rewardRuleId}`)).status).toBe(204);
    expect(await getLive(workspaceId, "rewardRule", rewardRuleId)).toBeNull();
    await me.json("POST", "/app/activity-logs", { activityId }, 200);
    expect(await me.json<{ amount: number }>("GET", `/app/virtual-balances/${coins}`)).toMatchObject({ amount: 5 });

    expect((await admin.request("DELETE", `/dashboard/virtual-currencies/${coins}`)).status).toBe(204);
    expect(await getLive(workspaceId, "virtualCurrency", coins)).toBeNull();
    expect((await admin.request("DELETE", `/dashboard/mission-rules/${missionRuleId}`)).status).toBe(204);
    expect((await admin.request("DELETE", `/dashboard/mission-configurations/${missionConfigurationId}`)).status).toBe(
      204,
    );
    expect((await admin.request("DELETE", `/dashboard/activities/${activityId}`)).status).toBe(204);
    // Logging a deleted activity is refused like an unpublished one; the user's missions stay.
    expect((await me.request("POST", "/app/activity-logs", { activityId })).status).toBe(404);
    expect((await me.json<{ items: unknown[] }>("GET", "/app/missions")).items).toHaveLength(1);
  });

  it("refuses to delete a tag that a published configuration carries", async () => {
    const { admin } = testWorkspace();
    const tagCreated = await admin.json<{ tagId: string }>(
      "POST",
      "/dashboard/tags",
      { namespace: "team", variant: "a", ...en },
      201,
    );
    await admin.json("POST", `/dashboard/tags/${tagCreated.tagId}/publish`, undefined, 200);
    const activityId = await activity(admin, "swim", [tagCreated.tagId]);
    const refused = await admin.json<ErrorBody>("DELETE", `/dashboard/tags/${tagCreated.tagId}`, undefined, 409);
    expect(refused.error.details?.map((d) => d.path)).toEqual([`activity/${activityId}`]);
  });
});
