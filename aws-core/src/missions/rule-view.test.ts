import { describe, expect, it } from "vitest";
import { activity, missionSetup, testWorkspace } from "../../test/support/callers";

describe("mission rule view", () => {
  it("always carries missionsMatchCondition (the reference requires it): null for a pool-only rule", async () => {
    const { admin } = testWorkspace();
    const activityId = await activity(admin);
    const { missionRuleId } = await missionSetup(admin, activityId);
    const rule = await admin.json<Record<string, unknown>>("GET", `/dashboard/mission-rules/${missionRuleId}`);
    expect(rule).toHaveProperty("missionsMatchCondition", null);
    // Other optional conditions stay out when unset.
    expect(rule).not.toHaveProperty("usersMatchCondition");
    const list = await admin.json<{ items: Record<string, unknown>[] }>("GET", "/dashboard/mission-rules");
    expect(list.items[0]).toHaveProperty("missionsMatchCondition", null);
    const condition = { "==": [{ var: "mission.missionType" }, "INDIVIDUAL"] };
    const updated = await admin.json<Record<string, unknown>>(
      "PUT",
      `/dashboard/mission-rules/${missionRuleId}`,
      { missionsMatchCondition: condition },
      200,
    );
    expect(updated.missionsMatchCondition).toEqual(condition);
  });
});
