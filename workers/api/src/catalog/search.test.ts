import { describe, expect, it } from "vitest";
import { appToken, call, dashboardToken, freshWorkspace, seed } from "../../test/support/helpers";

type Hit = { itemId: string; itemType: string; lang: string; titleHighlight: string; snippet: string; state: string };
type SearchBody = {
  items: Hit[];
  nextCursor: string | null;
  facets?: { total: number; types: Record<string, number>; tags: { tag: string; count: number }[] };
};

async function search(token: string, query: string, init: RequestInit = {}) {
  const res = await call(`/app/catalog/search?${query}`, { ...init, token });
  return { res, body: (await res.json()) as SearchBody };
}

describe("GET /app/catalog/search", () => {
  it("ranks title matches above body matches, highlights and snippets safely", async () => {
    const workspaceId = freshWorkspace();
    await seed([
      {
        workspaceId,
        itemId: "body",
        texts: [{ lang: "en", title: "Recycling 101", body: "a word about climate <b>" }],
      },
      { workspaceId, itemId: "title", texts: [{ lang: "en", title: "Climate change <basics>", body: "intro" }] },
      { workspaceId, itemId: "none", texts: [{ lang: "en", title: "Cooking", body: "pasta" }] },
    ]);
    const { res, body } = await search(await appToken({ workspaceId }), "q=climate");
    expect(res.status).toBe(200);
    expect(body.items.map((h) => h.itemId)).toEqual(["title", "body"]);
    expect(body.items[0]?.titleHighlight).toBe("<mark>Climate</mark> change &lt;basics&gt;");
    expect(body.items[1]?.snippet).toContain("<mark>climate</mark> &lt;b&gt;");
  });

  it("matches prefixes (type-ahead) and ignores diacritics", async () => {
    const workspaceId = freshWorkspace();
    await seed([{ workspaceId, itemId: "cafe", texts: [{ lang: "fr", title: "Le café écologique" }] }]);
    const token = await appToken({ workspaceId });
    expect((await search(token, "q=ecolo")).body.items.map((h) => h.itemId)).toEqual(["cafe"]);
    expect((await search(token, "q=cafe")).body.items.map((h) => h.itemId)).toEqual(["cafe"]);
  });

  it("returns only published, non-deleted items of the token's workspace", async () => {
    const workspaceId = freshWorkspace();
    const other = freshWorkspace();
    await seed([
      { workspaceId, itemId: "pub", texts: [{ lang: "en", title: "Solar power" }] },
      { workspaceId, itemId: "draft", state: "DRAFT", texts: [{ lang: "en", title: "Solar draft" }] },
      { workspaceId, itemId: "gone", deleted: true, texts: [{ lang: "en", title: "Solar deleted" }] },
      { workspaceId: other, itemId: "foreign", texts: [{ lang: "en", title: "Solar elsewhere" }] },
    ]);
    const { body } = await search(await appToken({ workspaceId }), "q=solar");
    expect(body.items.map((h) => h.itemId)).toEqual(["pub"]);
    const dash = await call("/dashboard/catalog/search?q=solar&state=DRAFT", {
      token: await dashboardToken({ workspaceId, role: "viewer" }),
    });
    expect(((await dash.json()) as SearchBody).items.map((h) => h.itemId)).toEqual(["draft"]);
  });

  it("filters by type, tag and language, and counts facets per type and tag", async () => {
    const workspaceId = freshWorkspace();
    await seed([
      {
        workspaceId,
        itemId: "g1",
        itemType: "learningGroup",
        tags: ["green"],
        texts: [{ lang: "en", title: "Water" }],
      },
      {
        workspaceId,
        itemId: "q1",
        itemType: "quiz",
        tags: ["green", "kids"],
        texts: [{ lang: "en", title: "Water quiz" }],
      },
      { workspaceId, itemId: "q2", itemType: "quiz", tags: ["kids"], texts: [{ lang: "it", title: "Water acqua" }] },
    ]);
    const token = await appToken({ workspaceId });
    const all = (await search(token, "q=water")).body;
    expect(all.facets).toEqual({
      total: 3,
      types: { learningGroup: 1, quiz: 2 },
      tags: [
        { tag: "green", count: 2 },
        { tag: "kids", count: 2 },
      ],
    });
    expect((await search(token, "q=water&type=quiz")).body.items.map((h) => h.itemId).sort()).toEqual(["q1", "q2"]);
    expect((await search(token, "q=water&tag=green")).body.items.map((h) => h.itemId).sort()).toEqual(["g1", "q1"]);
    expect((await search(token, "q=water&lang=it")).body.items.map((h) => h.itemId)).toEqual(["q2"]);
    expect((await search(token, "q=water&type=nonsense")).res.status).toBe(400);
  });

  it("shows the preferred language and falls back to the default language, one hit per item", async () => {
    const workspaceId = freshWorkspace();
    await seed([
      {
        workspaceId,
        itemId: "both",
        defaultLang: "en",
        texts: [
          { lang: "en", title: "Energy saving" },
          { lang: "it", title: "Risparmio energy" },
        ],
      },
      { workspaceId, itemId: "en-only", defaultLang: "en", texts: [{ lang: "en", title: "Energy at home" }] },
    ]);
    const itToken = await appToken({ workspaceId, lang: "it" });
    const { body } = await search(itToken, "q=energy");
    const langs = Object.fromEntries(body.items.map((h) => [h.itemId, h.lang]));
    expect(langs).toEqual({ both: "it", "en-only": "en" });
  });

  it("paginates with a stable keyset cursor: no duplicates, no gaps", async () => {
    const workspaceId = freshWorkspace();
    await seed(
      Array.from({ length: 23 }, (_, i) => ({
        workspaceId,
        itemId: `item-${String(i).padStart(2, "0")}`,
        texts: [{ lang: "en", title: i % 2 ? "Ocean ocean life" : "Ocean", body: "ocean ".repeat(i % 5) }],
      })),
    );
    const token = await appToken({ workspaceId });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const { body } = await search(token, `q=ocean&limit=5${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...body.items.map((h) => h.itemId));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    const again = (await search(token, "q=ocean&limit=23")).body.items.map((h) => h.itemId);
    expect(seen).toEqual(again);
    const first = (await search(token, "q=ocean&limit=5")).body.nextCursor;
    expect((await search(token, `q=other&limit=5&cursor=${first}`)).res.status).toBe(400);
    expect((await search(token, "q=ocean&cursor=garbage")).res.status).toBe(400);
  });

  it("keeps paging past the first candidate window: every hit once, in score order", async () => {
    const workspaceId = freshWorkspace();
    await seed(
      Array.from({ length: 300 }, (_, i) => ({
        workspaceId,
        itemId: `item-${String(i).padStart(3, "0")}`,
        texts: [{ lang: "en", title: i % 7 ? "Tide notes" : "Tide tide", body: "tide ".repeat(i % 11) }],
      })),
    );
    const token = await appToken({ workspaceId });
    const seen: string[] = [];
    const scores: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(`/app/catalog/search?q=tide&limit=50${cursor ? `&cursor=${cursor}` : ""}`, { token });
      const body = (await res.json()) as { items: { itemId: string; score: number }[]; nextCursor: string | null };
      seen.push(...body.items.map((h) => h.itemId));
      scores.push(...body.items.map((h) => h.score));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(300);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
  });

  it("finds hits ranked below more candidates than one window that the filters drop", async () => {
    const workspaceId = freshWorkspace();
    const other = freshWorkspace();
    await seed([
      ...Array.from({ length: 300 }, (_, i) => ({
        workspaceId,
        itemId: `draft-${i}`,
        state: "DRAFT" as const,
        texts: [{ lang: "en", title: "Reef reef", body: "reef reef" }],
      })),
      { workspaceId, itemId: "pub-1", texts: [{ lang: "en", title: "Corals", body: "a reef and more words here" }] },
      { workspaceId, itemId: "pub-2", texts: [{ lang: "en", title: "Fish", body: "the reef" }] },
      // A smaller workspace in the same index (its search scopes the MATCH with its token).
      ...Array.from({ length: 30 }, (_, i) => ({
        workspaceId: other,
        itemId: `other-${i}`,
        texts: [{ lang: "en", title: "Reef", body: "reef" }],
      })),
    ]);
    const { body } = await search(await appToken({ workspaceId }), "q=reef");
    expect(body.items.map((h) => h.itemId).sort()).toEqual(["pub-1", "pub-2"]);
    expect(body.facets?.total).toBe(2);
    expect(body.nextCursor).toBeNull();
    const small = await search(await appToken({ workspaceId: other }), "q=reef");
    expect(small.body.items).toHaveLength(20);
    expect(small.body.items.every((h) => h.itemId.startsWith("other-"))).toBe(true);
    expect(small.body.facets?.total).toBe(30);
  });

  it("treats FTS syntax and injection attempts as plain words, never a 500", async () => {
    const workspaceId = freshWorkspace();
    const other = freshWorkspace();
    await seed([
      { workspaceId, itemId: "mine", texts: [{ lang: "en", title: "Forest walk", body: "trees" }] },
      { workspaceId: other, itemId: "theirs", texts: [{ lang: "en", title: "Forest secret" }] },
    ]);
    const token = await appToken({ workspaceId });
    const attempts = [
      '"unbalanced',
      "forest\"'",
      "forest OR secret",
      "NEAR(forest secret)",
      "ws_token:*",
      "title:forest",
      "forest*^",
      "- forest",
      "{title body}: forest",
      "forest') UNION SELECT * FROM catalog_items --",
      "x".repeat(256),
      "forest ".repeat(40),
    ];
    for (const q of attempts) {
      const { res, body } = await search(token, `q=${encodeURIComponent(q)}`);
      expect([200, 400], q).toContain(res.status);
      if (res.status === 200)
        expect(
          body.items.every((h) => h.itemId === "mine"),
          q,
        ).toBe(true);
    }
    expect((await search(token, `q=${encodeURIComponent("()*:^")}`)).res.status).toBe(400);
    expect((await search(token, `q=${"y".repeat(300)}`)).res.status).toBe(400);
  });

  it("names the failing field on validation errors", async () => {
    const { res, body } = await search(await appToken(), "q=x&limit=500");
    expect(res.status).toBe(400);
    expect(JSON.stringify(body)).toContain('"path":"limit"');
  });
});
