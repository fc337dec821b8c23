import { describe, expect, it } from "vitest";
import { testWorkspace, user } from "../../../test/support/callers";
import { createPublished, pathBody, quiz } from "../../../test/support/content-fixtures";

type Assignment = {
  learningPathAssignmentId: string;
  learningPathId: string;
  visibility: string;
  state: string;
  currentAttempt: number;
  learningPathRuleId?: string;
  title?: string;
  progress: { status: string; attempt: number };
};

const assignRule = (pool: string[], extra: Record<string, unknown> = {}) => ({
  ruleType: "ASSIGN",
  name: "everyone",
  learningPathsPool: pool,
  timeframeType: "PERMANENT",
  timeframeStartsAt: "2020-01-01T00:00:00Z",
  defaultLang: "en",
  translations: [{ lang: "en", label: "Everyone" }],
  ...extra,
});

describe("learning path assignments", () => {
  it("a published ASSIGN rule assigns matching users lazily, with its initial visibility", async () => {
    const { admin, asUser } = testWorkspace();
    const pathId = await createPublished(admin, "learning-paths", pathBody([]), "learningPathId");
    const draft = await admin.json<{ learningPathRuleId: string }>(
      "POST",
      "/dashboard/learning-path-rules",
      assignRule([pathId], {
        usersMatchCondition: { "==": [{ var: "user.userId" }, "chosen"] },
        initialVisibility: "LOCKED",
      }),
      201,
    );
    // A draft assigns nothing.
    const chosen = asUser("chosen");
    expect((await chosen.json<{ items: Assignment[] }>("GET", "/app/learning-path-assignments")).items).toEqual([]);
    await admin.json("POST", `/dashboard/learning-path-rules/${draft.learningPathRuleId}/publish`, undefined, 200);
    const mine = await chosen.json<{ items: Assignment[] }>("GET", "/app/learning-path-assignments", undefined, 200);
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({
      learningPathId: pathId,
      visibility: "LOCKED",
      state: "ACTIVE",
      currentAttempt: 1,
      learningPathRuleId: draft.learningPathRuleId,
      title: "Green basics",
      progress: { status: "NOT_STARTED" },
    });
    // Listing again does not assign twice; others do not match.
    expect((await chosen.json<{ items: Assignment[] }>("GET", "/app/learning-path-assignments")).items).toHaveLength(1);
    expect(
      (await asUser("other").json<{ items: Assignment[] }>("GET", "/app/learning-path-assignments")).items,
    ).toEqual([]);
    const filtered = await chosen.json<{ items: Assignment[] }>(
      "POST",
      "/app/learning-path-assignments/search",
      { filter: { "==": [{ var: "visibility" }, "UNLOCKED"] } },
      200,
    );
    expect(filtered.items).toEqual([]);
    const all = await admin.json<{ items: Assignment[] }>(
      "GET",
      "/dashboard/learning-path-assignments",
      undefined,
      200,
    );
    expect(all.items.map((a) => a.learningPathId)).toEqual([pathId]);
  });

  it("manual assignment, attempts and retry after completion; another workspace's ids are 404", async () => {
    const { admin, asUser, viewer } = testWorkspace();
    const [learner1, learner2] = [await user(admin), await user(admin)];
    const quizId = await quiz(admin);
    const pathId = await createPublished(
      admin,
      "learning-paths",
      pathBody([{ itemId: quizId, itemType: "quiz" }]),
      "learningPathId",
    );
    const body = {
      learningPathId: pathId,
      userId: learner1,
      startsAt: "2020-01-01T00:00:00Z",
      visibility: "UNLOCKED",
      timeframeType: "PERMANENT",
    };
    await viewer.json("POST", "/dashboard/learning-path-assignments", body, 403);
    // The user must exist in the workspace: a missing one is refused naming the field, nothing written.
    const noUser = await admin.request("POST", "/dashboard/learning-path-assignments", { ...body, userId: "nobody" });
    expect(noUser.status).toBe(400);
    expect(await noUser.json()).toMatchObject({
      error: { code: "request.validation_failed", details: [{ path: "userId" }] },
    });
    await admin.json("POST", "/dashboard/learning-path-assignments", { ...body, learningPathId: "nope" }, 404);
    await admin.json("POST", "/dashboard/learning-path-assignments", { ...body, timeframeType: "RANGE" }, 400);
    const created = await admin.json<Assignment>("POST", "/dashboard/learning-path-assignments", body, 201);
    await admin.json("POST", "/dashboard/learning-path-assignments", body, 409);
    const id = created.learningPathAssignmentId;
    expect(await admin.json("GET", `/dashboard/learning-path-assignments/${id}`, undefined, 200)).toMatchObject({
      learningPathId: pathId,
      userId: learner1,
      state: "ACTIVE",
    });
    const me = asUser(learner1);
    await asUser(learner2).json("GET", `/app/learning-path-assignments/${id}`, undefined, 404);
    // The reference's `fields`: accepted (the view always has tags, text, items and progress); an unknown part is a 400.
    expect(
      await me.json("GET", `/app/learning-path-assignments/${id}?fields=tags,items,progress`, undefined, 200),
    ).toMatchObject({ learningPathAssignmentId: id, items: expect.any(Array), progress: expect.any(Object) });
    await me.json("GET", `/app/learning-path-assignments?fields=translation`, undefined, 200);
    await me.json("GET", `/app/learning-path-assignments/${id}?fields=answers`, undefined, 400);
    await me.json("POST", `/app/learning-path-assignments/${id}/retry`, undefined, 409);
    await me.json(
      "POST",
      `/app/quizzes/${quizId}/submit`,
      { answer: "opt2", parentId: pathId, parentType: "learningPath" },
      200,
    );
    const items = await me.json<{ items: { itemId: string; progress?: string; itemData?: unknown }[] }>(
      "GET",
      `/app/learning-path-assignments/${id}/items`,
      undefined,
      200,
    );
    expect(items.items[0]).toMatchObject({ itemId: quizId, progress: "COMPLETE", outcome: "SUCCESS" });
    const retried = await me.json<Assignment>("POST", `/app/learning-path-assignments/${id}/retry`, undefined, 200);
    expect(retried).toMatchObject({ currentAttempt: 2, progress: { status: "NOT_STARTED" } });
    expect(await me.json("GET", `/app/learning-path-assignments/${id}/current-attempt`, undefined, 200)).toEqual({
      currentAttempt: 2,
    });
    await me.json(
      "POST",
      `/app/quizzes/${quizId}/submit`,
      { answer: "opt1", parentId: pathId, parentType: "learningPath" },
      200,
    );
    expect(await me.json("GET", `/app/learning-path-assignments/${id}`, undefined, 200)).toMatchObject({
      progress: { status: "COMPLETED", outcome: "FAIL", attempt: 2 },
    });

    const other = testWorkspace();
    await other.admin.json("GET", `/dashboard/learning-path-assignments/${id}`, undefined, 404);
    await other.asUser(learner1).json("GET", `/app/learning-path-assignments/${id}`, undefined, 404);
    await other.admin.json("POST", "/dashboard/learning-path-assignments", body, 404);
  });

  it("clone makes a DRAFT copy of a path in the same workspace", async () => {
    const { admin } = testWorkspace();
    const quizId = await quiz(admin);
    const pathId = await createPublished(
      admin,
      "learning-paths",
      pathBody([{ itemId: quizId, itemType: "quiz" }]),
      "learningPathId",
    );
    const copy = await admin.json<Record<string, unknown>>(
      "POST",
      `/dashboard/learning-paths/${pathId}/clone`,
      undefined,
      201,
    );
    expect(copy).toMatchObject({
      stage: "DRAFT",
      version: 1,
      title: "Green basics",
      items: [{ itemId: quizId, itemType: "quiz" }],
    });
    expect(copy.learningPathId).not.toBe(pathId);
    expect(copy).not.toHaveProperty("publishedAt");
    const named = await admin.json<Record<string, unknown>>(
      "POST",
      `/dashboard/learning-paths/${pathId}/clone`,
      { learningPathId: "my-copy" },
      201,
    );
    expect(named.learningPathId).toBe("my-copy");
    await admin.json("POST", `/dashboard/learning-paths/${pathId}/clone`, { learningPathId: "my-copy" }, 409);
    expect(await admin.json("GET", `/dashboard/learning-paths/${pathId}`, undefined, 200)).toMatchObject({
      stage: "PUBLISHED",
    });
    await testWorkspace().admin.json("POST", `/dashboard/learning-paths/${pathId}/clone`, undefined, 404);
  });
});
