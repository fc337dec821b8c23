import { newId } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { activity, type Caller, testWorkspace, user } from "../../../test/support/callers";
import { createPublished, groupBody, pathBody } from "../../../test/support/content-fixtures";
import { loadLiveConfig } from "../../records/live";
import { activitiesInPublishedPaths } from "../live-structure";

type Progress = { status: string; outcome?: string; items: { itemId: string; progress?: string; outcome?: string }[] };
type Assignment = { learningPathId: string; progress: Progress };

async function assign(admin: Caller, userId: string, learningPathId: string, visibility = "UNLOCKED") {
  await admin.json(
    "POST",
    "/dashboard/learning-path-assignments",
    { learningPathId, userId, startsAt: "2020-01-01T00:00:00Z", visibility, timeframeType: "PERMANENT" },
    201,
  );
}

const progressOf = async (me: Caller, learningPathId: string) =>
  (await me.json<{ items: Assignment[] }>("GET", "/app/learning-path-assignments", undefined, 200)).items.find(
    (a) => a.learningPathId === learningPathId,
  )?.progress;

describe("activity logs advance learning paths", () => {
  it("a log of an activity listed in an assigned path (directly or in a nested group) progresses it once", async () => {
    const { admin, asUser } = testWorkspace();
    const run = await activity(admin, "run");
    const swim = await activity(admin, "swim");
    const pathId = newId();
    const groupId = await createPublished(
      admin,
      "learning-groups",
      groupBody([{ itemId: swim, itemType: "activity" }], { parentId: pathId, parentType: "learningPath" }),
      "learningGroupId",
    );
    await admin.json(
      "POST",
      "/dashboard/learning-paths",
      pathBody(
        [
          { itemId: run, itemType: "activity" },
          { itemId: groupId, itemType: "learningGroup" },
        ],
        { learningPathId: pathId },
      ),
      201,
    );
    // Another path listing `run`, assigned LOCKED: not open to the user, so not advanced.
    const lockedPath = await createPublished(
      admin,
      "learning-paths",
      pathBody([{ itemId: run, itemType: "activity" }]),
      "learningPathId",
    );
    const userId = await user(admin);
    const me = asUser(userId);
    await assign(admin, userId, pathId);
    await assign(admin, userId, lockedPath, "LOCKED");

    const activityLogId = newId();
    await me.json("POST", "/app/activity-logs", { activityId: run, activityLogId }, 200);
    await me.json("POST", "/app/activity-logs", { activityId: run, activityLogId }, 200); // retried: replayed
    await me.json("POST", "/app/activity-logs", { activityId: run }, 200); // again: already complete
    expect(await progressOf(me, pathId)).toMatchObject({
      status: "IN_PROGRESS",
      items: [
        { itemId: run, progress: "COMPLETE", outcome: "SUCCESS" },
        { itemId: groupId, itemType: "learningGroup" },
      ],
    });
    expect((await progressOf(me, lockedPath))?.status).toBe("NOT_STARTED");

    // A failed swim completes the nested group (failed), which completes the path with FAIL.
    await me.json("POST", "/app/activity-logs", { activityId: swim, outcome: "FAILURE" }, 200);
    const group = await me.json<{ progress: Progress }>("GET", `/app/learning-groups/${groupId}`, undefined, 200);
    expect(group.progress).toMatchObject({ status: "COMPLETED", outcome: "FAIL" });
    expect(await progressOf(me, pathId)).toMatchObject({ status: "COMPLETED", outcome: "FAIL" });
  });

  it("the derived path progress of an activity log reaches missions in the same transaction", async () => {
    const { admin, asUser } = testWorkspace();
    const run = await activity(admin, "run");
    const pathId = await createPublished(
      admin,
      "learning-paths",
      pathBody([{ itemId: run, itemType: "activity" }]),
      "learningPathId",
    );
    const en = { defaultLang: "en", translations: [{ lang: "en", label: "Finish" }] };
    const config = await admin.json<{ missionConfigurationId: string }>(
      "POST",
      "/dashboard/mission-configurations",
      {
        name: "finish a path",
        missionType: "INDIVIDUAL",
        matchType: "INSTANCE",
        matchEntity: "LearningPath",
        matchEntityId: pathId,
        matchCondition: { "==": [{ var: "event.progress" }, "COMPLETE"] },
        incrementExpression: 1,
        targetAmountExpression: 1,
        ...en,
      },
      201,
    );
    const id = config.missionConfigurationId;
    await admin.json("POST", `/dashboard/mission-configurations/${id}/publish`, undefined, 200);
    const rule = await admin.json<{ missionRuleId: string }>(
      "POST",
      "/dashboard/mission-rules",
      {
        name: "on completion",
        missionType: "INDIVIDUAL",
        missionConfigurationsPool: [id],
        timeframeType: "PERMANENT",
        timeframeTimezoneType: "FIXED",
        timeframeTimezone: "UTC",
        timeframeStartsAt: "2020-01-01T00:00:00Z",
        // EVENT assignment on the derived event: the assigning event counts.
        assignmentMode: "EVENT",
        eventMatchType: "INSTANCE",
        eventMatchEntity: "LearningPath",
        eventMatchEntityId: pathId,
        ...en,
      },
      201,
    );
    await admin.json("POST", `/dashboard/mission-rules/${rule.missionRuleId}/publish`, undefined, 200);
    const userId = await user(admin);
    await assign(admin, userId, pathId);
    const me = asUser(userId);
    await me.json("POST", "/app/activity-logs", { activityId: run }, 200);
    const missions = await me.json<{ items: { currentAmount: number; isCompleted: boolean }[] }>(
      "GET",
      "/app/missions",
      undefined,
      200,
    );
    expect(missions.items).toHaveLength(1);
    expect(missions.items[0]).toMatchObject({ currentAmount: 1, isCompleted: true });
  });

  it("picks up a path published, and a group edited, after logs warmed the cached configuration", async () => {
    const { workspaceId, admin, asUser } = testWorkspace();
    const run = await activity(admin, "run");
    const swim = await activity(admin, "swim");
    const userId = await user(admin);
    const me = asUser(userId);
    // Warms the live configuration: `run` is in no published path yet.
    await me.json("POST", "/app/activity-logs", { activityId: run }, 200);
    const groupId = await createPublished(admin, "learning-groups", groupBody([]), "learningGroupId");
    const pathId = await createPublished(
      admin,
      "learning-paths",
      pathBody([
        { itemId: run, itemType: "activity" },
        { itemId: groupId, itemType: "learningGroup" },
      ]),
      "learningPathId",
    );
    await assign(admin, userId, pathId);
    await me.json("POST", "/app/activity-logs", { activityId: run }, 200);
    expect((await progressOf(me, pathId))?.items[0]).toMatchObject({ itemId: run, progress: "COMPLETE" });
    // The published group (already in the path) gains `swim`: its logs now count too.
    await admin.json(
      "PUT",
      `/dashboard/learning-groups/${groupId}`,
      { items: [{ itemId: swim, itemType: "activity" }] },
      200,
    );
    await me.json("POST", "/app/activity-logs", { activityId: swim }, 200);
    expect(await progressOf(me, pathId)).toMatchObject({ status: "COMPLETED", outcome: "SUCCESS" });

    // Deleting the path takes its activities out of the live configuration, in the same write.
    expect([...activitiesInPublishedPaths(await loadLiveConfig(workspaceId))].sort()).toEqual([run, swim].sort());
    await admin.json("DELETE", `/dashboard/learning-paths/${pathId}`, undefined, 204);
    expect(activitiesInPublishedPaths(await loadLiveConfig(workspaceId)).size).toBe(0);
  });
});
