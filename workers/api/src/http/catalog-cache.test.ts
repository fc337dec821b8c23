import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { appToken, call, freshWorkspace, seed } from "../../test/support/helpers";

type SearchBody = { items: { itemId: string }[] };

async function search(token: string, query: string, init: RequestInit = {}) {
  const res = await call(`/app/catalog/search?${query}`, { ...init, token });
  return { res, body: (await res.json()) as SearchBody };
}

describe("GET /app/catalog/search: ETag and edge cache", () => {
  it("answers 304 to a matching If-None-Match and caches per workspace", async () => {
    const a = freshWorkspace();
    const b = freshWorkspace();
    await seed([
      { workspaceId: a, itemId: "a1", texts: [{ lang: "en", title: "Garden" }] },
      { workspaceId: b, itemId: "b1", texts: [{ lang: "en", title: "Garden" }] },
    ]);
    const tokenA = await appToken({ workspaceId: a });
    const first = await search(tokenA, "q=garden");
    const etag = first.res.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.res.headers.get("cache-control")).toContain("private");
    const revalidated = await call("/app/catalog/search?q=garden", {
      token: tokenA,
      headers: { "if-none-match": etag! },
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(etag);
    const stale = await call("/app/catalog/search?q=garden", { token: tokenA, headers: { "if-none-match": '"old"' } });
    expect(stale.status).toBe(200);
    // Same query, other workspace: its own result, never A's cached entry.
    const fromB = await search(await appToken({ workspaceId: b }), "q=garden");
    expect(fromB.body.items.map((h) => h.itemId)).toEqual(["b1"]);
    expect(fromB.res.headers.get("etag")).not.toBe(etag);
  });

  it("serves a cached result until the indexer applies a change for the workspace, then the fresh one", async () => {
    const ws = freshWorkspace();
    await seed([{ workspaceId: ws, itemId: "w1", texts: [{ lang: "en", title: "Wetlands" }] }]);
    const token = await appToken({ workspaceId: ws });
    const before = await search(token, "q=wetlands");
    expect(before.body.items.map((h) => h.itemId)).toEqual(["w1"]);

    // A row written without a new generation is not seen: the cached answer stands.
    await seed([{ workspaceId: ws, itemId: "w2", texts: [{ lang: "en", title: "Wetlands two" }] }]);
    expect((await search(token, "q=wetlands")).body.items.map((h) => h.itemId)).toEqual(["w1"]);

    // The indexer records each applied batch per workspace; that bumps the cache generation.
    await env.DB.prepare(
      "INSERT INTO indexer_stats (key, last_changed_at, last_applied_at, last_lag_ms) VALUES (?1, ?2, ?2, 0)",
    )
      .bind(`stream:${ws}`, Date.now())
      .run();
    const after = await search(token, "q=wetlands");
    expect(after.body.items.map((h) => h.itemId).sort()).toEqual(["w1", "w2"]);
    expect(after.res.headers.get("etag")).not.toBe(before.res.headers.get("etag"));
  });
});
