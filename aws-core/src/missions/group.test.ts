import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import {
  activity,
  type Caller,
  currency,
  published,
  rewardRule,
  testWorkspace,
  user,
} from "../../test/support/callers";
import { documentDb, tableName } from "../db/client";
import { groupPk } from "./instance";

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
type Balance = { amount: number };

const en = (label: string) => ({ defaultLang: "en", translations: [{ lang: "en", label }] });

async function tag(admin: Caller, variant: string) {
  return published(admin, "tags", { namespace: "team", variant, ...en(variant) }, "tagId");
}

async function groupSetup(
  admin: Caller,
  activityId: string,
  groupTagId: string,
  options: { mode: "LAZY" | "EVENT"; target: number },
) {
  const missionConfigurationId = await published(
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
      targetAmountExpression: options.target,
      ...en("Team distance"),
    },
    "missionConfigurationId",
  );
  await published(
    admin,
    "mission-rules",
    {
      name: "teams",
      missionType: "GROUP",
      groupTagId,
      missionConfigurationsPool: [missionConfigurationId],
      timeframeType: "PERMANENT",
      timeframeTimezoneType: "FIXED",
      timeframeTimezone: "UTC",
      timeframeStartsAt: "2020-01-01T00:00:00Z",
      assignmentMode: options.mode,
      ...(options.mode === "EVENT"
        ? { eventMatchType: "INSTANCE", eventMatchEntity: "Activity", eventMatchEntityId: activityId }
        : {}),
      ...en("Teams"),
    },
    "missionRuleId",
  );
  return missionConfigurationId;
}

async function groupLogCount(workspaceId: string, groupTagId: string): Promise<number> {
  const out = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
      ExpressionAttributeValues: { ":pk": groupPk(workspaceId, groupTagId), ":p": "MLOG#" },
      ConsistentRead: true,
    }),
  );
  return out.Count ?? 0;
}

describe("GROUP missions", () => {
  it("are shared by the tag's holders, count concurrent contributions of different users, keep counting past the target and complete once", async () => {
    const { workspaceId, admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const coins = await currency(admin);
    const teamA = await tag(admin, "a");
    const missionConfigurationId = await groupSetup(admin, activityId, teamA, { mode: "EVENT", target: 10 });
    await rewardRule(admin, {
      ruleType: "INSTANCE",
      matchEntity: "Mission",
      matchEntityId: missionConfigurationId,
      applicationMode: "ALWAYS",
      rewards: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", expression: 100 }],
    });
    const members = await Promise.all(Array.from({ length: 4 }, () => user(admin, { tags: [teamA] })));
    const outsider = await user(admin);

    // 4 members × 5 logs, all at once, with colliding client-chosen log ids across users.
    const responses = await Promise.all(
      members.flatMap((m) =>
        Array.from({ length: 5 }, (_, i) =>
          asUser(m).request("POST", "/app/activity-logs", { activityId, value: 1, activityLogId: `log-${i}` }),
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    await asUser(outsider).json("POST", "/app/activity-logs", { activityId, value: 1 }, 200);

    const views = await Promise.all(
      members.map((m) => asUser(m).json<{ items: Mission[] }>("GET", "/app/missions", undefined, 200)),
    );
    const ids = new Set(views.flatMap((v) => v.items.map((i) => i.missionId)));
    expect(ids.size).toBe(1);
    const mission = views[0]!.items[0]!;
    expect(mission).toMatchObject({
      missionType: "GROUP",
      groupTagId: teamA,
      currentAmount: 20,
      targetAmount: 10,
      isCompleted: true,
      state: "ACTIVE",
    });
    expect(mission.userId).toBeUndefined();
    expect(members).toContain(mission.completedByUserId);
    expect((await asUser(outsider).json<{ items: Mission[] }>("GET", "/app/missions")).items).toEqual([]);
    expect(await groupLogCount(workspaceId, teamA)).toBe(20);

    // One mission-completed event, for the member whose contribution reached the target.
    const balances = await Promise.all(
      members.map((m) => asUser(m).json<Balance>("GET", `/app/virtual-balances/${coins}`)),
    );
    expect(balances.map((b) => b?.amount ?? 0).sort()).toEqual([0, 0, 0, 100]);
    const completer = members[balances.findIndex((b) => b?.amount === 100)];
    expect(completer).toBe(mission.completedByUserId);
  });

  it("LAZY: the first member's listing creates the group's mission once; other members and their logs share it", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const teamA = await tag(admin, "a");
    const teamB = await tag(admin, "b");
    await groupSetup(admin, activityId, teamA, { mode: "LAZY", target: 3 });
    const members = await Promise.all(Array.from({ length: 3 }, () => user(admin, { tags: [teamA] })));
    const other = await user(admin, { tags: [teamB] });

    const lists = await Promise.all(
      members.map((m) => asUser(m).json<{ items: Mission[] }>("GET", "/app/missions", undefined, 200)),
    );
    expect(new Set(lists.flatMap((l) => l.items.map((i) => i.missionId))).size).toBe(1);
    await asUser(members[0]!).json("POST", "/app/activity-logs", { activityId, value: 2 }, 200);
    await asUser(members[1]!).json("POST", "/app/activity-logs", { activityId, value: 2 }, 200);
    const after = await asUser(members[2]!).json<{ items: Mission[] }>("GET", "/app/missions");
    expect(after.items).toEqual([
      expect.objectContaining({ currentAmount: 4, targetAmount: 3, isCompleted: true, completedByUserId: members[1] }),
    ]);
    expect((await asUser(other).json<{ items: Mission[] }>("GET", "/app/missions")).items).toEqual([]);
  });

  it("rejects GROUP rules without a group tag, with a USER time zone or a pool of INDIVIDUAL configurations", async () => {
    const { admin } = testWorkspace();
    const activityId = await activity(admin);
    const teamA = await tag(admin, "a");
    const individual = await published(
      admin,
      "mission-configurations",
      {
        name: "solo",
        missionType: "INDIVIDUAL",
        matchType: "INSTANCE",
        matchEntity: "Activity",
        matchEntityId: activityId,
        matchCondition: null,
        incrementExpression: 1,
        targetAmountExpression: 1,
        ...en("Solo"),
      },
      "missionConfigurationId",
    );
    const rule = {
      name: "teams",
      missionType: "GROUP",
      groupTagId: teamA,
      missionConfigurationsPool: [individual],
      timeframeType: "PERMANENT",
      timeframeTimezoneType: "FIXED",
      timeframeTimezone: "UTC",
      timeframeStartsAt: "2020-01-01T00:00:00Z",
      assignmentMode: "LAZY",
      ...en("Teams"),
    };
    const path = (res: { error: { details?: { path: string }[] } }) => res.error.details?.[0]?.path;
    const { groupTagId: _omitted, ...noTag } = rule;
    expect(path(await admin.json("POST", "/dashboard/mission-rules", noTag, 400))).toBe("groupTagId");
    expect(
      path(await admin.json("POST", "/dashboard/mission-rules", { ...rule, timeframeTimezoneType: "USER" }, 400)),
    ).toBe("timeframeTimezoneType");
    expect(path(await admin.json("POST", "/dashboard/mission-rules", rule, 400))).toBe("missionConfigurationsPool.0");
    expect(path(await admin.json("POST", "/dashboard/mission-rules", { ...rule, groupTagId: "nope" }, 400))).toBe(
      "groupTagId",
    );
  });
});
