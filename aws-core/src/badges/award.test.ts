import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { testWorkspace } from "../../test/support/callers";
import { documentDb, tableName } from "../db/client";
import { PK, SK, sortKey } from "../db/keys";
import { badgeKey } from "./award";

type ErrorJson = { error: { code: string; message: string } };

/** Stored award logs are read through their schema: a broken item is a logged 500, never a partial answer. */
describe("badge award logs are parsed when read", () => {
  async function storeBadge(workspaceId: string, userId: string, badgeConfigurationId: string) {
    const at = "2026-12-01T10:00:00.000Z";
    await documentDb().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...badgeKey(workspaceId, userId, badgeConfigurationId),
          itemType: "Badge",
          badgeConfigurationId,
          userId,
          count: 1,
          defaultLang: "en",
          firstAssignedAt: at,
          lastAssignedAt: at,
          createdAt: at,
          updatedAt: at,
        },
      }),
    );
  }
  async function storeLog(workspaceId: string, userId: string, badgeConfigurationId: string, log: object) {
    const at = "2026-12-01T10:00:00.000Z";
    await documentDb().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          pk: PK.user(workspaceId, userId),
          sk: sortKey(SK.badgeLog, badgeConfigurationId, at, "log-1"),
          itemType: "BadgeLog",
          ...log,
        },
      }),
    );
  }

  it("a well-formed log is answered with its fields only; a corrupted one is a generic 500", async () => {
    const { workspaceId, asUser } = testWorkspace();
    const userId = "user-1";
    const badgeConfigurationId = "badge-1";
    await storeBadge(workspaceId, userId, badgeConfigurationId);
    const log = {
      badgeLogId: "log-1",
      badgeConfigurationId,
      userId,
      sourceEntityType: "Mission",
      sourceEntityId: "mission-1",
      rewardRuleId: "rule-1",
      assignedAt: "2026-12-01T10:00:00.000Z",
      createdAt: "2026-12-01T10:00:00.000Z",
      updatedAt: "2026-12-01T10:00:00.000Z",
    };
    await storeLog(workspaceId, userId, badgeConfigurationId, log);
    const me = asUser(userId);
    const ok = await me.json<{ items: { badgeLogs: unknown[] }[] }>(
      "GET",
      "/app/badges?fields=badgeLogs",
      undefined,
      200,
    );
    expect(ok.items[0]?.badgeLogs).toEqual([log]);

    // The same item, hand-edited: its assignment time is no longer a string and its id is gone.
    const { badgeLogId: _gone, ...broken } = log;
    await storeLog(workspaceId, userId, badgeConfigurationId, { ...broken, assignedAt: 17 });
    const res = await me.request("GET", "/app/badges?fields=badgeLogs");
    expect(res.status).toBe(500);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe("internal.error");
    expect(body.error.message).toBe("Internal server error");
    expect(JSON.stringify(body)).not.toContain("assignedAt");
  });
});
