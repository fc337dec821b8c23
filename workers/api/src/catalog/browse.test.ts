import { describe, expect, it } from "vitest";
import { appToken, call, control, freshWorkspace, m2mToken, seed } from "../../test/support/helpers";

describe("catalog browse endpoints", () => {
  it("lists published items localized with fallback, paginated by nextToken", async () => {
    const workspaceId = freshWorkspace();
    await seed([
      ...["qa", "qb", "qc"].map((itemId) => ({
        workspaceId,
        itemType: "quiz",
        itemId,
        defaultLang: "en",
        // The display data the core indexes for a quiz (reference enums).
        payload: { difficulty: "EASY", placement: "STANDALONE" },
        texts: [
          { lang: "en", title: `Quiz ${itemId}` },
          ...(itemId === "qb" ? [{ lang: "it", title: "Quiz italiano" }] : []),
        ],
      })),
      { workspaceId, itemType: "quiz", itemId: "qd", state: "DRAFT", texts: [{ lang: "en", title: "Draft" }] },
    ]);
    const token = await appToken({ workspaceId });
    const page1 = (await (await call("/app/quizzes?limit=2&lang=it", { token })).json()) as {
      items: Record<string, unknown>[];
      nextToken: string | null;
    };
    expect(page1.items.map((i) => [i.quizId, i.lang, i.title])).toEqual([
      ["qa", "en", "Quiz qa"],
      ["qb", "it", "Quiz italiano"],
    ]);
    expect(page1.items[0]).toMatchObject({
      difficulty: "EASY",
      placement: "STANDALONE",
      defaultLang: "en",
      state: "PUBLISHED",
    });
    const page2 = (await (
      await call(`/app/quizzes?limit=2&lang=it&nextToken=${page1.nextToken}`, { token })
    ).json()) as {
      items: Record<string, unknown>[];
      nextToken: string | null;
    };
    expect(page2.items.map((i) => i.quizId)).toEqual(["qc"]);
    expect(page2.nextToken).toBeNull();
  });

  it("another workspace's id is indistinguishable from a missing one", async () => {
    const mine = freshWorkspace();
    const theirs = freshWorkspace();
    await seed([
      {
        workspaceId: theirs,
        itemType: "quiz",
        itemId: "secret",
        payload: { difficulty: "EASY", placement: "STANDALONE" },
        texts: [{ lang: "en", title: "Theirs" }],
      },
    ]);
    const token = await appToken({ workspaceId: mine });
    const foreign = await call("/app/quizzes/secret", { token });
    const missing = await call("/app/quizzes/nothing", { token });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    const strip = (b: { error: Record<string, unknown> }) => ({ ...b.error, requestId: undefined });
    expect(strip(await foreign.json())).toEqual(strip(await missing.json()));
    const own = await call("/app/quizzes/secret", { token: await appToken({ workspaceId: theirs }) });
    expect(own.status).toBe(200);
  });

  it("per-user fields (progress) come from the core, for the caller or the user an M2M client acts for", async () => {
    type Echo = { path: string; search: string; headers: Record<string, string> };
    const workspaceId = freshWorkspace();
    const items = [
      { path: "learning-groups", itemType: "learningGroup", itemId: "g1" },
      { path: "quizzes", itemType: "quiz", itemId: "q1" },
      { path: "slides", itemType: "slide", itemId: "s1" },
    ];
    // A quiz's display data as the core indexes it (the reference requires difficulty and placement).
    const payloads: Record<string, Record<string, unknown>> = { quiz: { difficulty: "EASY", placement: "STANDALONE" } };
    await seed(
      items.map(({ itemType, itemId }) => ({
        workspaceId,
        itemType,
        itemId,
        ...(payloads[itemType] ? { payload: payloads[itemType] } : {}),
        texts: [{ lang: "en", title: itemId }],
      })),
    );
    const user = await appToken({ workspaceId, userId: "u-42" });
    const m2m = await m2mToken({ workspaceId });
    for (const { path, itemId } of items) {
      // Without a per-user field: the edge catalog answers, the core is not asked.
      const { coreCalls } = await control("/state");
      for (const query of ["", "?fields=tags", "?fields=translation,tags"]) {
        const res = await call(`/app/${path}/${itemId}${query}`, { token: user });
        expect(res.status, `${path}${query}`).toBe(200);
        expect(((await res.json()) as { title: string }).title).toBe(itemId);
      }
      expect((await control("/state")).coreCalls, path).toBe(coreCalls);

      // With one (alone, repeated, or in a comma list): the core's answer, for that user.
      for (const query of ["?fields=progress", "?fields=tags&fields=progress", "?fields=translation,progress"]) {
        const res = await call(`/app/${path}/${itemId}${query}`, { token: user });
        expect(res.status, `${path}${query}`).toBe(200);
        const echo = (await res.json()) as Echo;
        expect(echo).toMatchObject({ path: `/app/${path}/${itemId}`, search: query });
        expect(echo.headers["x-ql-user-id"]).toBe("u-42");
      }
      const delegated = await call(`/app/${path}/${itemId}?fields=progress`, {
        token: m2m,
        headers: { "x-external-user-id": "crm-7" },
      });
      expect(delegated.status).toBe(200);
      expect(((await delegated.json()) as Echo).headers["x-ql-external-user-id"]).toBe("crm-7");

      const unknown = await call(`/app/${path}/${itemId}?fields=secrets`, { token: user });
      expect(unknown.status).toBe(400);
      expect(JSON.stringify(await unknown.json())).toContain('"path":"fields"');
    }
  });
});
