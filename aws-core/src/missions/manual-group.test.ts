import { newId } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { activity, published, testWorkspace, user } from "../../test/support/callers";

type Mission = {
  missionId: string;
  missionType: string;
  groupTagId?: string;
  userId?: string;
  currentAmount: number;
  targetAmount: number;
  isCompleted: boolean;
  completedByUserId?: string;
  state: string;
};

const en = (label: string) => ({ defaultLang: "en", translations: [{ lang: "en", label }] });

describe("manual GROUP mission assignment (POST /dashboard/missions with groupTagId)", () => {
  it("creates one shared mission that every holder of the tag feeds and sees, exactly once per log", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const team = await published(admin, "tags", { namespace: "team", variant: "red", ...en("Red") }, "tagId");
    const groupConfig = await published(
      admin,
      "mission-configurations",
      {
        name: "team distance",
        missionType: "GROUP",
        matchType: "INSTANCE",
        matchEntity: "Activity",
        matchEntityId: activityId,
        matchCondition: null,
        incrementExpression: { var: "event.value" },
        targetAmountExpression: 5,
        ...en("Team distance"),
      },
      "missionConfigurationId",
    );
    const individualConfig = await published(
      admin,
      "mission-configurations",
      {
        name: "solo",
        missionType: "INDIVIDUAL",
        matchType: "ENTITY",
        matchEntity: "Activity",
        matchCondition: null,
        incrementExpression: 1,
        targetAmountExpression: 1,
        ...en("Solo"),
      },
      "missionConfigurationId",
    );
    const body = {
      missionType: "GROUP",
      groupTagId: team,
      missionConfigurationId: groupConfig,
      startsAt: "2020-01-01T00:00:00Z",
      timeframeType: "PERMANENT",
    };
    // Refused: an INDIVIDUAL configuration, an unknown tag, a userId on a GROUP assignment.
    await admin.json("POST", "/dashboard/missions", { ...body, missionConfigurationId: individualConfig }, 400);
    await admin.json("POST", "/dashboard/missions", { ...body, groupTagId: newId() }, 400);
    await admin.json("POST", "/dashboard/missions", { ...body, userId: "someone" }, 400);

    const created = await admin.json<Mission>("POST", "/dashboard/missions", body, 201);
    expect(created).toMatchObject({ missionType: "GROUP", groupTagId: team, targetAmount: 5, currentAmount: 0 });
    expect(created.userId).toBeUndefined();

    const alice = asUser(await user(admin, { tags: [team] }));
    const bobId = await user(admin, { tags: [team] });
    const bob = asUser(bobId);
    const outsider = asUser(await user(admin));
    const logId = newId();
    await alice.json("POST", "/app/activity-logs", { activityId, value: 2, activityLogId: logId }, 200);
    await alice.json("POST", "/app/activity-logs", { activityId, value: 2, activityLogId: logId }, 200); // replayed
    await outsider.json("POST", "/app/activity-logs", { activityId, value: 10 }, 200);
    const half = await bob.json<Mission>("GET", `/app/missions/${created.missionId}`, undefined, 200);
    expect(half).toMatchObject({ currentAmount: 2, isCompleted: false });

    await bob.json("POST", "/app/activity-logs", { activityId, value: 3 }, 200);
    const done = await alice.json<{ items: Mission[] }>("GET", "/app/missions", undefined, 200);
    expect(done.items.find((m) => m.missionId === created.missionId)).toMatchObject({
      currentAmount: 5,
      isCompleted: true,
      completedByUserId: bobId,
    });
    const outsiders = await outsider.json<{ items: Mission[] }>("GET", "/app/missions", undefined, 200);
    expect(outsiders.items.some((m) => m.missionId === created.missionId)).toBe(false);
  });
});
