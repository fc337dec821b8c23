import { describe, expect, it } from "vitest";
import { testWorkspace } from "../../../test/support/callers";
import { groupBody, quiz, slide, slideBody } from "../../../test/support/content-fixtures";

type Body = Record<string, unknown> & { error?: { code: string; details?: { path: string }[] } };

describe("slides and learning groups", () => {
  it("slides: CRUD, publish, app view and submit", async () => {
    const { admin, asUser } = testWorkspace();
    const created = await admin.json<Body>("POST", "/dashboard/slides", slideBody(), 201);
    expect(created).toMatchObject({ stage: "DRAFT", langs: ["en"], version: 1 });
    const id = created.slideId as string;
    await admin.json(
      "PUT",
      `/dashboard/slides/${id}`,
      {
        translations: [
          { lang: "en", title: "Photosynthesis", content: { contents: [{ type: "slide", text: "Light" }] } },
          { lang: "it", title: "Fotosintesi", content: { contents: [{ type: "slide", text: "Luce" }] } },
        ],
      },
      200,
    );
    await admin.json(
      "PUT",
      `/dashboard/slides/${id}`,
      { translations: [{ lang: "it", title: "x", content: { contents: [] } }] },
      400,
    );
    const me = asUser("learner-1");
    await me.json("GET", `/app/slides/${id}`, undefined, 404);
    await admin.json("POST", `/dashboard/slides/${id}/publish`, undefined, 200);
    const view = await me.json<Body>("GET", `/app/slides/${id}?lang=it`, undefined, 200);
    expect(view).toMatchObject({ slideId: id, lang: "it", title: "Fotosintesi", langs: ["en", "it"] });
    const submitted = await me.json<Body>("POST", `/app/slides/${id}/submit`, { progress: "START" }, 200);
    expect(submitted).toMatchObject({ slideId: id, userId: "learner-1", progress: "START", context: "default" });
    expect(submitted).not.toHaveProperty("completedAt");
    await me.json("POST", `/app/slides/${id}/submit`, {}, 400);
  });

  it("learning groups: types, ordered items, parent, rules validated; app view with items", async () => {
    const { admin, viewer, asUser } = testWorkspace();
    const quizId = await quiz(admin);
    const slideId = await slide(admin);
    const items = [
      { itemId: slideId, itemType: "slide" },
      { itemId: quizId, itemType: "quiz" },
      { itemId: "missing", itemType: "quiz" },
    ];
    await admin.json("POST", "/dashboard/learning-groups", groupBody(items, { type: "lesson" }), 400);
    await admin.json("POST", "/dashboard/learning-groups", groupBody([items[0]!, items[0]!]), 400);
    const badRule = await admin.json<Body>(
      "POST",
      "/dashboard/learning-groups",
      groupBody(items, { completionRule: { notAnOperator: [1] } }),
      400,
    );
    expect(badRule.error?.code).toBe("rules.invalid_jsonlogic");
    // Items must name entities of the workspace: one lookup for all, each missing one named.
    const missing = await admin.json<Body>("POST", "/dashboard/learning-groups", groupBody(items), 400);
    expect(missing.error).toMatchObject({
      code: "request.validation_failed",
      details: [{ path: "items.2.itemId", message: "no such quiz in this workspace" }],
    });
    const created = await admin.json<Body>(
      "POST",
      "/dashboard/learning-groups",
      groupBody(items.slice(0, 2), { type: "story", parentId: "path-1", parentType: "learningPath" }),
      201,
    );
    expect(created).toMatchObject({
      type: "story",
      items: items.slice(0, 2),
      parentId: "path-1",
      stage: "DRAFT",
    });
    // An optional rule left out stays out (the reference's object-or-absent), never `null`.
    expect(created).not.toHaveProperty("completionRule");
    await admin.json("PUT", `/dashboard/learning-groups/${created.learningGroupId as string}`, { items }, 400);
    const id = created.learningGroupId as string;
    await viewer.json("PUT", `/dashboard/learning-groups/${id}`, { type: "test" }, 403);
    const reordered = await admin.json<Body>(
      "PUT",
      `/dashboard/learning-groups/${id}`,
      { items: [items[1], items[0]] },
      200,
    );
    expect(reordered.items).toEqual([items[1], items[0]]);
    await admin.json("POST", `/dashboard/learning-groups/${id}/publish`, undefined, 200);
    const me = asUser("learner-1");
    const view = await me.json<Body>("GET", `/app/learning-groups/${id}`, undefined, 200);
    expect(view).toMatchObject({ learningGroupId: id, type: "story", title: "Plants", itemCount: 2 });
    expect(view.progress).toMatchObject({ status: "NOT_STARTED", progress: { total: 2, completed: 0 } });
    const listed = await me.json<{ items: { itemId: string; itemData?: Body }[] }>(
      "GET",
      `/app/learning-groups/${id}/items`,
      undefined,
      200,
    );
    expect(listed.items.map((i) => i.itemId)).toEqual([quizId, slideId]);
    expect(listed.items[0]?.itemData).toMatchObject({ quizId, difficulty: "EASY" });
    expect(JSON.stringify(listed)).not.toContain("correctAnswer");
  });

  it("another workspace's groups and slides are 404", async () => {
    const one = testWorkspace();
    const other = testWorkspace();
    const slideId = await slide(one.admin);
    const group = await one.admin.json<Body>(
      "POST",
      "/dashboard/learning-groups",
      groupBody([{ itemId: slideId, itemType: "slide" }], { publish: true }),
      201,
    );
    await other.admin.json("GET", `/dashboard/learning-groups/${group.learningGroupId}`, undefined, 404);
    await other.asUser("u").json("GET", `/app/learning-groups/${group.learningGroupId}`, undefined, 404);
    await other.asUser("u").json("GET", `/app/learning-groups/${group.learningGroupId}/items`, undefined, 404);
    await other.asUser("u").json("GET", `/app/slides/${slideId}`, undefined, 404);
    await other.asUser("u").json("POST", `/app/slides/${slideId}/submit`, { progress: "COMPLETE" }, 404);
    await other.admin.json("DELETE", `/dashboard/slides/${slideId}`, undefined, 404);
  });
});
