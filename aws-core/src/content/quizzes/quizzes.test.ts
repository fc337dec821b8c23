import { describe, expect, it } from "vitest";
import { testWorkspace } from "../../../test/support/callers";
import { quiz, quizBody } from "../../../test/support/content-fixtures";

type Body = Record<string, unknown> & { error?: { code: string; details?: { path: string; message: string }[] } };

describe("quizzes", () => {
  it("dashboard CRUD and publish, with the answer visible to editors", async () => {
    const { admin, viewer } = testWorkspace();
    const created = await admin.json<Body>("POST", "/dashboard/quizzes", quizBody(), 201);
    expect(created).toMatchObject({
      stage: "DRAFT",
      version: 1,
      correctAnswer: "opt2",
      langs: ["en"],
      difficulty: "EASY",
    });
    const id = created.quizId as string;
    const updated = await admin.json<Body>("PUT", `/dashboard/quizzes/${id}`, { difficulty: "HARD" }, 200);
    expect(updated).toMatchObject({ difficulty: "HARD", version: 2, stage: "DRAFT" });
    const published = await admin.json<Body>("POST", `/dashboard/quizzes/${id}/publish`, undefined, 200);
    expect(published).toMatchObject({ stage: "PUBLISHED", version: 3 });
    await admin.json("POST", `/dashboard/quizzes/${id}/publish`, undefined, 409);
    expect(await viewer.json<Body>("GET", `/dashboard/quizzes/${id}`, undefined, 200)).toMatchObject({ quizId: id });
    const list = await viewer.json<{ items: Body[] }>("GET", "/dashboard/quizzes", undefined, 200);
    expect(list.items.map((q) => q.quizId)).toEqual([id]);
    await viewer.json("POST", "/dashboard/quizzes", quizBody(), 403);
    await admin.json("DELETE", `/dashboard/quizzes/${id}`, undefined, 204);
    await admin.json("GET", `/dashboard/quizzes/${id}`, undefined, 404);
  });

  it("validates exactly four distinct options and one correct answer", async () => {
    const { admin } = testWorkspace();
    const three = await admin.json<Body>(
      "POST",
      "/dashboard/quizzes",
      quizBody({ translations: [{ lang: "en", question: "Q?", opt1: "a", opt2: "b", opt3: "c" }] }),
      400,
    );
    expect(three.error?.details?.some((d) => d.path.endsWith("opt4"))).toBe(true);
    const five = await admin.json<Body>(
      "POST",
      "/dashboard/quizzes",
      quizBody({
        translations: [{ lang: "en", question: "Q?", opt1: "a", opt2: "b", opt3: "c", opt4: "d", opt5: "e" }],
      }),
      400,
    );
    expect(five.error?.code).toBe("request.unknown_field");
    const twoCorrect = await admin.json<Body>(
      "POST",
      "/dashboard/quizzes",
      quizBody({ correctAnswer: ["opt1", "opt2"] }),
      400,
    );
    expect(twoCorrect.error?.details?.[0]?.path).toBe("correctAnswer");
    await admin.json("POST", "/dashboard/quizzes", quizBody({ correctAnswer: "opt5" }), 400);
    const duplicate = await admin.json<Body>(
      "POST",
      "/dashboard/quizzes",
      quizBody({ translations: [{ lang: "en", question: "Q?", opt1: "a", opt2: "A", opt3: "c", opt4: "d" }] }),
      400,
    );
    expect(duplicate.error?.details?.[0]?.path).toBe("translations.0.opt2");
    await admin.json("POST", "/dashboard/quizzes", quizBody({ difficulty: "EXTREME" }), 400);
    await admin.json("POST", "/dashboard/quizzes", quizBody({ defaultLang: "it" }), 400);
  });

  it("never shows the correct answer to the app or in the catalog document", async () => {
    const { admin, asUser, workspaceId } = testWorkspace();
    const draft = await admin.json<Body>(
      "POST",
      "/dashboard/quizzes",
      quizBody({
        translations: [
          { lang: "en", question: "Q?", opt1: "a", opt2: "b", opt3: "c", opt4: "d", explanation: "b, because" },
        ],
      }),
      201,
    );
    const me = asUser("user-1");
    await me.json("GET", `/app/quizzes/${draft.quizId}`, undefined, 404);
    await admin.json("POST", `/dashboard/quizzes/${draft.quizId}/publish`, undefined, 200);
    const view = await me.json<Body>("GET", `/app/quizzes/${draft.quizId}`, undefined, 200);
    expect(view).toMatchObject({ quizId: draft.quizId, difficulty: "EASY", title: "Q?", state: "PUBLISHED" });
    expect(view.translations).toEqual([{ lang: "en", question: "Q?", opt1: "a", opt2: "b", opt3: "c", opt4: "d" }]);
    const text = JSON.stringify(view);
    expect(text).not.toContain("correctAnswer");
    expect(text).not.toContain("because");
    const { getRecord } = await import("../../records/store");
    const stored = await getRecord({ workspaceId, kind: "quiz", id: draft.quizId as string });
    expect(JSON.stringify(stored?.catalog)).not.toContain("correctAnswer");
    expect(stored?.catalog?.payload).not.toHaveProperty("explanation");
  });

  it("submit records the answer and the outcome", async () => {
    const { admin, asUser } = testWorkspace();
    const quizId = await quiz(admin);
    const me = asUser("user-1");
    const right = await me.json<Body>("POST", `/app/quizzes/${quizId}/submit`, { answer: "opt2" }, 200);
    expect(right).toMatchObject({
      quizId,
      userId: "user-1",
      answer: "opt2",
      outcome: "SUCCESS",
      progress: "COMPLETE",
      difficulty: "EASY",
      context: "default",
      lang: "en",
    });
    const wrong = await me.json<Body>("POST", `/app/quizzes/${quizId}/submit`, { answer: "opt1" }, 200);
    expect(wrong).toMatchObject({ outcome: "FAIL", answer: "opt1" });
    await me.json("POST", `/app/quizzes/${quizId}/submit`, { answer: "opt9" }, 400);
    await admin.json("POST", `/app/quizzes/${quizId}/submit`, { answer: "opt1" }, 403);
  });

  it("another workspace's quiz is 404 everywhere", async () => {
    const one = testWorkspace();
    const other = testWorkspace();
    const quizId = await quiz(one.admin);
    await other.admin.json("GET", `/dashboard/quizzes/${quizId}`, undefined, 404);
    await other.admin.json("PUT", `/dashboard/quizzes/${quizId}`, { difficulty: "HARD" }, 404);
    await other.admin.json("POST", `/dashboard/quizzes/${quizId}/publish`, undefined, 404);
    await other.asUser("user-1").json("GET", `/app/quizzes/${quizId}`, undefined, 404);
    await other.asUser("user-1").json("POST", `/app/quizzes/${quizId}/submit`, { answer: "opt2" }, 404);
  });
});
