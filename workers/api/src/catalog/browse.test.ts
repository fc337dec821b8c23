import { describe, expect, it } from "vitest";
import { appToken, call, freshWorkspace, seed } from "../../test/support/helpers";

describe("catalog browse endpoints", () => {
  it("lists published items localized with fallback, paginated by nextToken", async () => {
    const workspaceId = freshWorkspace();
    await seed([
      ...["qa", "qb", "qc"].map((itemId) => ({
        workspaceId,
        itemType: "quiz",
        itemId,
        defaultLang: "en",
        payload: { difficulty: "easy" },
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
    expect(page1.items[0]).toMatchObject({ difficulty: "easy", defaultLang: "en", state: "PUBLISHED" });
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
    await seed([{ workspaceId: theirs, itemType: "quiz", itemId: "secret", texts: [{ lang: "en", title: "Theirs" }] }]);
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
});
