import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { activity, testWorkspace } from "../../test/support/callers";
import { createPublished, groupBody, pathBody } from "../../test/support/content-fixtures";
import { documentDb, tableName } from "../db/client";
import { invalidateLiveConfig, liveKey, loadLiveConfig } from "../records/live";
import { activitiesInPublishedPaths, backfillLiveStructure } from "./live-structure";

const activitiesOf = async (workspaceId: string) => {
  invalidateLiveConfig(workspaceId);
  return [...activitiesInPublishedPaths(await loadLiveConfig(workspaceId))].sort();
};

describe("published learning structure in the live configuration", () => {
  it("lists activities of published paths and their published groups; drafts add nothing", async () => {
    const { workspaceId, admin } = testWorkspace();
    const [run, swim, walk] = [
      await activity(admin, "run"),
      await activity(admin, "swim"),
      await activity(admin, "walk"),
    ];
    const groupId = await createPublished(
      admin,
      "learning-groups",
      groupBody([{ itemId: swim, itemType: "activity" }]),
      "learningGroupId",
    );
    await createPublished(
      admin,
      "learning-paths",
      pathBody([
        { itemId: run, itemType: "activity" },
        { itemId: groupId, itemType: "learningGroup" },
      ]),
      "learningPathId",
    );
    // A draft path, and a published group no published path holds.
    await admin.json(
      "POST",
      "/dashboard/learning-paths",
      pathBody([{ itemId: walk, itemType: "activity" }], { publish: false }),
      201,
    );
    await createPublished(
      admin,
      "learning-groups",
      groupBody([{ itemId: walk, itemType: "activity" }]),
      "learningGroupId",
    );
    expect(await activitiesOf(workspaceId)).toEqual([run, swim].sort());
  });

  it("the sweep's one-time backfill restores entries of containers published before they existed", async () => {
    const { workspaceId, admin } = testWorkspace();
    const run = await activity(admin, "run");
    const pathId = await createPublished(
      admin,
      "learning-paths",
      pathBody([{ itemId: run, itemType: "activity" }]),
      "learningPathId",
    );
    await documentDb().send(
      new DeleteCommand({ TableName: tableName(), Key: liveKey(workspaceId, "learningPath", pathId) }),
    );
    expect(await activitiesOf(workspaceId)).toEqual([]);
    expect(await backfillLiveStructure(workspaceId)).toBe(1);
    expect(await activitiesOf(workspaceId)).toEqual([run]);
    expect(await backfillLiveStructure(workspaceId)).toBe(0);
  });
});
