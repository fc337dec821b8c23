import { newId } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { type Caller, currency, published, rewardRule, testWorkspace, user } from "../../../test/support/callers";
import { createPublished, groupBody, pathBody, quiz, slide } from "../../../test/support/content-fixtures";
import { createAppEventPipeline } from "../../app/event-pipeline";
import { setPerUserSerialization } from "../../pipeline";
import { recordRef } from "../../records/kinds";
import { requireCatalogRecord } from "../../records/store";
import type { QuizData } from "../quizzes/model";
import { submitLearningItem } from "./submit";

type Progress = {
  status: string;
  outcome?: string;
  items: { itemId: string; progress?: string; outcome?: string }[];
  currentItemId?: string;
};
type Assignment = {
  learningPathAssignmentId: string;
  learningPathId: string;
  visibility: string;
  unlockedByRuleId?: string;
  progress: Progress;
};

/** A path P holding group G, which holds a slide and a quiz (correct answer opt2). */
async function pathWithGroup(admin: Caller) {
  const slideId = await slide(admin);
  const quizId = await quiz(admin);
  const learningPathId = newId();
  const learningGroupId = await createPublished(
    admin,
    "learning-groups",
    groupBody(
      [
        { itemId: slideId, itemType: "slide" },
        { itemId: quizId, itemType: "quiz" },
      ],
      { parentId: learningPathId, parentType: "learningPath" },
    ),
    "learningGroupId",
  );
  await admin.json(
    "POST",
    "/dashboard/learning-paths",
    pathBody([{ itemId: learningGroupId, itemType: "learningGroup" }], { learningPathId }),
    201,
  );
  return { slideId, quizId, learningGroupId, learningPathId };
}

async function assign(admin: Caller, userId: string, learningPathId: string, visibility = "UNLOCKED") {
  return admin.json<Assignment>(
    "POST",
    "/dashboard/learning-path-assignments",
    { learningPathId, userId, startsAt: "2020-01-01T00:00:00Z", visibility, timeframeType: "PERMANENT" },
    201,
  );
}

const groupProgress = async (me: Caller, id: string) =>
  (await me.json<{ progress: Progress }>("GET", `/app/learning-groups/${id}`, undefined, 200)).progress;

const assignmentOf = async (me: Caller, learningPathId: string) =>
  (await me.json<{ items: Assignment[] }>("GET", "/app/learning-path-assignments", undefined, 200)).items.find(
    (a) => a.learningPathId === learningPathId,
  );

describe("learning progress", () => {
  it("completing every item of a group completes it and cascades to the path, outcome FAIL if an item failed", async () => {
    const { admin, asUser } = testWorkspace();
    const { slideId, quizId, learningGroupId, learningPathId } = await pathWithGroup(admin);
    const learner = await user(admin);
    const me = asUser(learner);
    await assign(admin, learner, learningPathId);
    expect((await groupProgress(me, learningGroupId)).status).toBe("NOT_STARTED");

    const parent = { parentId: learningGroupId, parentType: "learningGroup" };
    await me.json("POST", `/app/slides/${slideId}/submit`, { progress: "COMPLETE", ...parent }, 200);
    const half = await groupProgress(me, learningGroupId);
    expect(half).toMatchObject({ status: "IN_PROGRESS", currentItemId: quizId });
    expect((await assignmentOf(me, learningPathId))?.progress.status).toBe("IN_PROGRESS");

    await me.json("POST", `/app/quizzes/${quizId}/submit`, { answer: "opt1", ...parent }, 200);
    const done = await groupProgress(me, learningGroupId);
    expect(done).toMatchObject({ status: "COMPLETED", outcome: "FAIL" });
    expect(done.items).toEqual([
      { itemId: slideId, itemType: "slide", progress: "COMPLETE", outcome: "SUCCESS" },
      { itemId: quizId, itemType: "quiz", progress: "COMPLETE", outcome: "FAIL" },
    ]);
    const path = await assignmentOf(me, learningPathId);
    expect(path?.progress).toMatchObject({ status: "COMPLETED", outcome: "FAIL" });
    expect(path?.progress.items).toEqual([
      { itemId: learningGroupId, itemType: "learningGroup", progress: "COMPLETE", outcome: "FAIL" },
    ]);
  });

  it("progress only moves forward", async () => {
    const { admin, asUser } = testWorkspace();
    const { slideId, quizId, learningGroupId } = await pathWithGroup(admin);
    const me = asUser("learner-1");
    const parent = { parentId: learningGroupId, parentType: "learningGroup" };
    await me.json("POST", `/app/slides/${slideId}/submit`, { progress: "START", ...parent }, 200);
    expect(await groupProgress(me, learningGroupId)).toMatchObject({ status: "IN_PROGRESS" });
    await me.json("POST", `/app/slides/${slideId}/submit`, { progress: "COMPLETE", ...parent }, 200);
    await me.json("POST", `/app/slides/${slideId}/submit`, { progress: "START", ...parent }, 200);
    await me.json("POST", `/app/slides/${slideId}/submit`, { progress: "IN_PROGRESS", ...parent }, 200);
    expect((await groupProgress(me, learningGroupId)).items[0]).toMatchObject({ progress: "COMPLETE" });
    // A completed quiz keeps the outcome it completed with.
    await me.json("POST", `/app/quizzes/${quizId}/submit`, { answer: "opt2", ...parent }, 200);
    await me.json("POST", `/app/quizzes/${quizId}/submit`, { answer: "opt3", ...parent }, 200);
    expect(await groupProgress(me, learningGroupId)).toMatchObject({ status: "COMPLETED", outcome: "SUCCESS" });
  });

  it("a submit must name a parent that lists the item", async () => {
    const { admin, asUser } = testWorkspace();
    const { learningGroupId } = await pathWithGroup(admin);
    const stray = await quiz(admin);
    const me = asUser("learner-1");
    await me.json(
      "POST",
      `/app/quizzes/${stray}/submit`,
      { answer: "opt2", parentId: learningGroupId, parentType: "learningGroup" },
      400,
    );
    await me.json(
      "POST",
      `/app/quizzes/${stray}/submit`,
      { answer: "opt2", parentId: "nope", parentType: "learningGroup" },
      404,
    );
  });

  it("a quiz submit progresses a mission on Quiz entities once per idempotency key", async () => {
    const { admin, asUser, workspaceId } = testWorkspace();
    const quizId = await quiz(admin);
    const en = { defaultLang: "en", translations: [{ lang: "en", label: "Quizzer" }] };
    const missionConfigurationId = await published(
      admin,
      "mission-configurations",
      {
        name: "quizzer",
        missionType: "INDIVIDUAL",
        matchType: "INSTANCE",
        matchEntity: "Quiz",
        matchEntityId: quizId,
        matchCondition: { "==": [{ var: "event.outcome" }, "SUCCESS"] },
        incrementExpression: 1,
        targetAmountExpression: 5,
        ...en,
      },
      "missionConfigurationId",
    );
    await published(
      admin,
      "mission-rules",
      {
        name: "quiz takers",
        missionType: "INDIVIDUAL",
        missionConfigurationsPool: [missionConfigurationId],
        timeframeType: "PERMANENT",
        timeframeTimezoneType: "FIXED",
        timeframeTimezone: "UTC",
        timeframeStartsAt: "2020-01-01T00:00:00Z",
        assignmentMode: "EVENT",
        eventMatchType: "INSTANCE",
        eventMatchEntity: "Quiz",
        eventMatchEntityId: quizId,
        ...en,
      },
      "missionRuleId",
    );
    const me = asUser("learner-1");
    const submit = (key: string, answer = "opt2") =>
      me.request("POST", `/app/quizzes/${quizId}/submit`, { answer }, { "x-idempotency-key": key });
    expect((await submit("k1")).status).toBe(200);
    const again = await submit("k1");
    expect(again.status).toBe(200);
    expect(again.headers.get("x-idempotent-replay")).toBe("true");
    // Past the HTTP idempotency record (expired, or a retry from another container) the submit
    // is still the same event: the pipeline applies it once.
    const quizItem = await requireCatalogRecord<QuizData>(recordRef({ workspaceId }, "quiz", quizId));
    const direct = await submitLearningItem(createAppEventPipeline(), {
      workspaceId,
      userId: "learner-1",
      item: quizItem,
      itemType: "quiz",
      progress: "COMPLETE",
      context: "default",
      answer: "opt2",
      outcome: "SUCCESS",
      idempotencyKey: "k1",
    });
    expect(direct.replayed).toBe(true);
    expect(direct.submission).toMatchObject({ contentId: quizId, outcome: "SUCCESS" });
    const missions = async () =>
      (await me.json<{ items: { currentAmount: number }[] }>("GET", "/app/missions", undefined, 200)).items;
    expect((await missions())[0]?.currentAmount).toBe(1);
    await submit("k2");
    await submit("k3", "opt4");
    expect((await missions())[0]?.currentAmount).toBe(2);
  });

  it("a path completed by a submit rewards once, however often the submit is retried", async () => {
    const { admin, asUser } = testWorkspace();
    const { slideId, quizId, learningGroupId, learningPathId } = await pathWithGroup(admin);
    const coins = await currency(admin);
    await rewardRule(admin, {
      ruleType: "INSTANCE",
      matchEntity: "LearningPath",
      matchEntityId: learningPathId,
      matchCondition: { "==": [{ var: "event.progress" }, "COMPLETE"] },
      applicationMode: "ALWAYS",
      rewards: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", expression: 10 }],
    });
    const me = asUser("learner-1");
    const parent = { parentId: learningGroupId, parentType: "learningGroup" };
    await me.json("POST", `/app/slides/${slideId}/submit`, { progress: "COMPLETE", ...parent }, 200);
    const submit = () =>
      me.request(
        "POST",
        `/app/quizzes/${quizId}/submit`,
        { answer: "opt2", ...parent },
        { "x-idempotency-key": "once" },
      );
    expect((await submit()).status).toBe(200);
    expect((await submit()).status).toBe(200);
    await me.json("POST", `/app/quizzes/${quizId}/submit`, { answer: "opt2", ...parent }, 200);
    const balance = await me.json<{ availableAmount: number }>("GET", `/app/virtual-balances/${coins}`, undefined, 200);
    expect(balance.availableAmount).toBe(10);
  });

  it("concurrent submits under one group (no per-user serialization) all count, and the group completes once", async () => {
    setPerUserSerialization(false);
    try {
      const { admin, asUser } = testWorkspace();
      const { slideId, quizId, learningGroupId } = await pathWithGroup(admin);
      const me = asUser("learner-1");
      const parent = { parentId: learningGroupId, parentType: "learningGroup" };
      const results = await Promise.all([
        me.request("POST", `/app/slides/${slideId}/submit`, { progress: "COMPLETE", ...parent }),
        me.request("POST", `/app/quizzes/${quizId}/submit`, { answer: "opt2", ...parent }),
        me.request("POST", `/app/slides/${slideId}/submit`, { progress: "IN_PROGRESS", ...parent }),
      ]);
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      const progress = await groupProgress(me, learningGroupId);
      expect(progress).toMatchObject({ status: "COMPLETED", outcome: "SUCCESS" });
      expect(progress.items.map((i) => i.progress)).toEqual(["COMPLETE", "COMPLETE"]);
    } finally {
      setPerUserSerialization(true);
    }
  });

  it("an UNLOCK rule unlocks a locked assignment when the event matches", async () => {
    const { admin, asUser } = testWorkspace();
    const quizId = await quiz(admin);
    const first = await createPublished(
      admin,
      "learning-paths",
      pathBody([{ itemId: quizId, itemType: "quiz" }]),
      "learningPathId",
    );
    const second = await createPublished(admin, "learning-paths", pathBody([]), "learningPathId");
    const rule = await admin.json<{ learningPathRuleId: string; stage: string }>(
      "POST",
      "/dashboard/learning-path-rules",
      {
        ruleType: "UNLOCK",
        name: "after the basics",
        unlockLearningPathId: second,
        eventMatchType: "INSTANCE",
        eventMatchEntityId: first,
        timeframeType: "PERMANENT",
        timeframeStartsAt: "2020-01-01T00:00:00Z",
        defaultLang: "en",
        translations: [{ lang: "en", label: "Unlock" }],
      },
      201,
    );
    expect(rule.stage).toBe("DRAFT");
    await admin.json("POST", `/dashboard/learning-path-rules/${rule.learningPathRuleId}/publish`, undefined, 200);
    await admin.json("POST", `/dashboard/learning-path-rules/${rule.learningPathRuleId}/publish`, undefined, 409);
    const [learner1, learner2] = [await user(admin), await user(admin)];
    await assign(admin, learner1, first);
    await assign(admin, learner1, second, "LOCKED");
    await assign(admin, learner2, second, "LOCKED");
    const me = asUser(learner1);
    expect((await assignmentOf(me, second))?.visibility).toBe("LOCKED");
    await me.json(
      "POST",
      `/app/quizzes/${quizId}/submit`,
      { answer: "opt2", parentId: first, parentType: "learningPath" },
      200,
    );
    expect(await assignmentOf(me, first)).toMatchObject({ progress: { status: "COMPLETED", outcome: "SUCCESS" } });
    expect(await assignmentOf(me, second)).toMatchObject({
      visibility: "UNLOCKED",
      unlockedByRuleId: rule.learningPathRuleId,
    });
    expect((await assignmentOf(asUser(learner2), second))?.visibility).toBe("LOCKED");
  });

  it("UNLOCK rules are validated when saved", async () => {
    const { admin } = testWorkspace();
    const base = {
      ruleType: "UNLOCK",
      name: "x",
      timeframeType: "PERMANENT",
      timeframeStartsAt: "2020-01-01T00:00:00Z",
      defaultLang: "en",
      translations: [{ lang: "en" }],
    };
    await admin.json("POST", "/dashboard/learning-path-rules", { ...base, eventMatchType: "ENTITY" }, 400);
    await admin.json(
      "POST",
      "/dashboard/learning-path-rules",
      { ...base, unlockLearningPathId: "p", eventMatchType: "INSTANCE" },
      400,
    );
    await admin.json(
      "POST",
      "/dashboard/learning-path-rules",
      { ...base, unlockLearningPathId: "p", eventMatchType: "ENTITY", eventMatchCondition: { nope: [1] } },
      400,
    );
  });
});
