import { newId } from "@questline/contracts";
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
import { createPublished, pathBody, quiz } from "../../test/support/content-fixtures";
import { createAppEventPipeline } from "../app/event-pipeline";
import { submitLearningItem } from "../content/progress/submit";
import type { QuizData } from "../content/quizzes/model";
import { recordRef } from "../records/kinds";
import { requireCatalogRecord } from "../records/store";

type Mission = { missionId: string; missionConfigurationId: string; currentAmount: number; isCompleted: boolean };

const en = (label: string) => ({ defaultLang: "en", translations: [{ lang: "en", label }] });

/** A published INDIVIDUAL configuration counting +1 per matching event. */
function missionConfig(admin: Caller, target: number, match: Record<string, unknown>) {
  return published(
    admin,
    "mission-configurations",
    {
      name: "derived",
      missionType: "INDIVIDUAL",
      matchCondition: null,
      incrementExpression: 1,
      targetAmountExpression: target,
      ...en("Derived"),
      ...match,
    },
    "missionConfigurationId",
  );
}

/** A LAZY PERMANENT rule giving everyone the pool (created when the user lists missions). */
function lazyRule(admin: Caller, pool: string[]) {
  return published(
    admin,
    "mission-rules",
    {
      name: "everyone",
      missionType: "INDIVIDUAL",
      missionConfigurationsPool: pool,
      timeframeType: "PERMANENT",
      timeframeTimezoneType: "FIXED",
      timeframeTimezone: "UTC",
      timeframeStartsAt: "2020-01-01T00:00:00Z",
      assignmentMode: "LAZY",
      ...en("Everyone"),
    },
    "missionRuleId",
  );
}

async function missionsByConfig(me: Caller): Promise<Map<string, Mission>> {
  const list = await me.json<{ items: Mission[] }>("GET", "/app/missions?limit=100", undefined, 200);
  return new Map(list.items.map((m) => [m.missionConfigurationId, m]));
}

describe("derived events reach missions, rewards and consumers", () => {
  it("a mission matching a LearningPath progresses when quiz submits complete the path, once per submit", async () => {
    const { workspaceId, admin, asUser } = testWorkspace();
    const q1 = await quiz(admin);
    const q2 = await quiz(admin);
    const pathId = await createPublished(
      admin,
      "learning-paths",
      pathBody([
        { itemId: q1, itemType: "quiz" },
        { itemId: q2, itemType: "quiz" },
      ]),
      "learningPathId",
    );
    const completed = await missionConfig(admin, 1, {
      matchType: "INSTANCE",
      matchEntity: "LearningPath",
      matchEntityId: pathId,
      matchCondition: { "==": [{ var: "event.progress" }, "COMPLETE"] },
    });
    const anyProgress = await missionConfig(admin, 10, { matchType: "ENTITY", matchEntity: "LearningPath" });
    await lazyRule(admin, [completed, anyProgress]);
    const userId = await user(admin);
    const me = asUser(userId);
    await admin.json(
      "POST",
      "/dashboard/learning-path-assignments",
      {
        learningPathId: pathId,
        userId,
        startsAt: "2020-01-01T00:00:00Z",
        visibility: "UNLOCKED",
        timeframeType: "PERMANENT",
      },
      201,
    );
    await me.json("GET", "/app/missions", undefined, 200); // LAZY assignment

    const submit = (quizId: string, key: string) =>
      me.request(
        "POST",
        `/app/quizzes/${quizId}/submit`,
        { answer: "opt2", parentId: pathId, parentType: "learningPath" },
        { "x-idempotency-key": key },
      );
    expect((await submit(q1, "first")).status).toBe(200);
    expect((await submit(q1, "first")).status).toBe(200); // retried
    let missions = await missionsByConfig(me);
    expect(missions.get(completed)).toMatchObject({ currentAmount: 0, isCompleted: false });
    expect(missions.get(anyProgress)?.currentAmount).toBe(1); // path START → IN_PROGRESS

    expect((await submit(q2, "second")).status).toBe(200);
    expect((await submit(q2, "second")).status).toBe(200);
    missions = await missionsByConfig(me);
    expect(missions.get(completed)).toMatchObject({ currentAmount: 1, isCompleted: true });
    expect(missions.get(anyProgress)?.currentAmount).toBe(2); // … → COMPLETE

    // Past the HTTP idempotency record (expired, another container) the submit is the same
    // event: the pipeline applies it, and everything derived from it, once.
    const item = await requireCatalogRecord<QuizData>(recordRef({ workspaceId }, "quiz", q2));
    const direct = await submitLearningItem(createAppEventPipeline(), {
      workspaceId,
      userId,
      item,
      itemType: "quiz",
      progress: "COMPLETE",
      context: "default",
      answer: "opt2",
      outcome: "SUCCESS",
      parentId: pathId,
      parentType: "learningPath",
      idempotencyKey: "second",
    });
    expect(direct.replayed).toBe(true);
    missions = await missionsByConfig(me);
    expect(missions.get(completed)?.currentAmount).toBe(1);
    expect(missions.get(anyProgress)?.currentAmount).toBe(2);
  });

  it("a mission counting MISSION_COMPLETED progresses when other missions complete, never on its own completion", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const coins = await currency(admin);
    const first = await missionConfig(admin, 1, {
      matchType: "INSTANCE",
      matchEntity: "Activity",
      matchEntityId: activityId,
    });
    // Completes when `first` completes (a mission-completed event derived from a derived event next).
    const second = await missionConfig(admin, 1, {
      matchType: "INSTANCE",
      matchEntity: "Mission",
      matchEntityId: first,
    });
    // Counts every completion but its own.
    const counter = await missionConfig(admin, 3, { matchType: "ENTITY", matchEntity: "Mission" });
    await lazyRule(admin, [first, second, counter]);
    // Reward rules see the second-level completion too.
    await rewardRule(admin, {
      ruleType: "INSTANCE",
      matchEntity: "Mission",
      matchEntityId: second,
      applicationMode: "ALWAYS",
      rewards: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", expression: 7 }],
    });
    const userId = await user(admin);
    const me = asUser(userId);
    await me.json("GET", "/app/missions", undefined, 200);

    const activityLogId = newId();
    await me.json("POST", "/app/activity-logs", { activityId, activityLogId }, 200);
    const replay = await me.request("POST", "/app/activity-logs", { activityId, activityLogId });
    expect(replay.status).toBe(200);

    const missions = await missionsByConfig(me);
    expect(missions.get(first)).toMatchObject({ currentAmount: 1, isCompleted: true });
    expect(missions.get(second)).toMatchObject({ currentAmount: 1, isCompleted: true });
    expect(missions.get(counter)).toMatchObject({ currentAmount: 2, isCompleted: false });
    expect(await me.json("GET", `/app/virtual-balances/${coins}`, undefined, 200)).toMatchObject({ amount: 7 });

    // Another log: `first` is complete, nothing completes, nothing more counts.
    await me.json("POST", "/app/activity-logs", { activityId }, 200);
    expect((await missionsByConfig(me)).get(counter)?.currentAmount).toBe(2);
  });

  it("a cycle of configurations counting completions stops: each mission completes once", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const first = await missionConfig(admin, 1, {
      matchType: "INSTANCE",
      matchEntity: "Activity",
      matchEntityId: activityId,
    });
    // Each counts any mission completion, target 1: the first completion completes both, and
    // neither counts again (completion flips once; completed INDIVIDUAL missions take nothing more).
    const a = await missionConfig(admin, 1, { matchType: "ENTITY", matchEntity: "Mission" });
    const b = await missionConfig(admin, 1, { matchType: "ENTITY", matchEntity: "Mission" });
    await lazyRule(admin, [first, a, b]);
    const me = asUser(await user(admin));
    await me.json("GET", "/app/missions", undefined, 200);
    await me.json("POST", "/app/activity-logs", { activityId }, 200);
    const missions = await missionsByConfig(me);
    for (const id of [first, a, b]) expect(missions.get(id)).toMatchObject({ currentAmount: 1, isCompleted: true });
  });

  it("a GROUP mission counting completions (it keeps counting past its target) never counts its own", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const team = await published(admin, "tags", { namespace: "team", variant: "red", ...en("Red") }, "tagId");
    const first = await missionConfig(admin, 1, {
      matchType: "INSTANCE",
      matchEntity: "Activity",
      matchEntityId: activityId,
    });
    await lazyRule(admin, [first]);
    const groupConfig = await missionConfig(admin, 1, {
      missionType: "GROUP",
      matchType: "ENTITY",
      matchEntity: "Mission",
    });
    await published(
      admin,
      "mission-rules",
      {
        name: "teams",
        missionType: "GROUP",
        groupTagId: team,
        missionConfigurationsPool: [groupConfig],
        timeframeType: "PERMANENT",
        timeframeTimezoneType: "FIXED",
        timeframeTimezone: "UTC",
        timeframeStartsAt: "2020-01-01T00:00:00Z",
        assignmentMode: "LAZY",
        ...en("Teams"),
      },
      "missionRuleId",
    );
    const me = asUser(await user(admin, { tags: [team] }));
    await me.json("GET", "/app/missions", undefined, 200);
    await me.json("POST", "/app/activity-logs", { activityId }, 200);
    const missions = await missionsByConfig(me);
    expect(missions.get(first)).toMatchObject({ isCompleted: true });
    // `first`'s completion counted and completed it; its own completion did not count.
    expect(missions.get(groupConfig)).toMatchObject({ currentAmount: 1, isCompleted: true });
  });
});
