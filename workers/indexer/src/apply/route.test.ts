import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  assertFtsConsistent,
  postBatch,
  remove,
  searchIds,
  signedPost,
  storedItem,
  storedTags,
  storedTitles,
  upsert,
  WS_A,
  WS_B,
} from "../../test/support/helpers";

describe("POST /batches", () => {
  it("indexes an upsert so catalog search finds it, with its tags", async () => {
    const op = upsert("q1", 1, { title: "Photosynthesis basics", tags: ["biology", "plants", "biology"] });
    const response = await postBatch([op]);
    expect(response.results).toEqual([{ sequenceNumber: op.sequenceNumber, status: "applied" }]);
    expect(await storedItem("q1")).toMatchObject({ version: 1, deleted: 0, state: "PUBLISHED" });
    expect(await storedTags("q1")).toEqual(["biology", "plants"]);
    expect(await searchIds("photosynthesis")).toEqual(["q1"]);
    expect(await searchIds("photosynthesis", WS_B)).toEqual([]);
    await assertFtsConsistent();
  });

  it("reports a replayed batch as stale and changes nothing", async () => {
    const ops = [upsert("q1", 1, { title: "Alpha" }), upsert("q2", 4, { title: "Beta" })];
    await postBatch(ops);
    const replay = await postBatch(ops);
    expect(replay.results.map((r) => r.status)).toEqual(["stale", "stale"]);
    expect(await storedTitles("q1")).toEqual(["Alpha"]);
    expect(await storedTitles("q2")).toEqual(["Beta"]);
    await assertFtsConsistent();
  });

  it("ignores an older version delivered after a newer one", async () => {
    await postBatch([upsert("q1", 3, { title: "Newest", tags: ["new"] })]);
    const late = await postBatch([upsert("q1", 2, { title: "Older", tags: ["old"] })]);
    expect(late.results[0]?.status).toBe("stale");
    expect(await storedItem("q1")).toMatchObject({ version: 3 });
    expect(await storedTitles("q1")).toEqual(["Newest"]);
    expect(await storedTags("q1")).toEqual(["new"]);
    expect(await searchIds("older")).toEqual([]);
  });

  it("keeps a deleted item deleted when a stale upsert arrives, and lets a newer re-create through", async () => {
    await postBatch([upsert("q1", 1, { title: "Ghost" })]);
    const del = await postBatch([remove("q1", 2)]);
    expect(del.results[0]?.status).toBe("applied");
    expect(await storedItem("q1")).toMatchObject({ version: 2, deleted: 1 });
    expect(await storedTitles("q1")).toEqual([]);
    expect(await storedTags("q1")).toEqual([]);

    const stale = await postBatch([upsert("q1", 2, { title: "Ghost" }), upsert("q1", 1, { title: "Ghost" })]);
    expect(stale.results.map((r) => r.status)).toEqual(["stale", "stale"]);
    expect(await searchIds("ghost")).toEqual([]);

    const recreate = await postBatch([upsert("q1", 3, { title: "Reborn" })]);
    expect(recreate.results[0]?.status).toBe("applied");
    expect(await storedItem("q1")).toMatchObject({ version: 3, deleted: 0 });
    expect(await searchIds("reborn")).toEqual(["q1"]);
    await assertFtsConsistent();
  });

  it("applies a delete carrying the same version as the live row it removes", async () => {
    await postBatch([upsert("q1", 5, { title: "Doomed" })]);
    const response = await postBatch([remove("q1", 5), remove("q1", 5)]);
    expect(response.results.map((r) => r.status)).toEqual(["applied", "stale"]);
    expect(await storedItem("q1")).toMatchObject({ version: 5, deleted: 1 });
    expect(await searchIds("doomed")).toEqual([]);
  });

  it("a delete that never saw the item still leaves a tombstone that blocks older upserts", async () => {
    await postBatch([remove("q9", 7)]);
    const late = await postBatch([upsert("q9", 6, { title: "Late" })]);
    expect(late.results[0]?.status).toBe("stale");
    expect(await storedItem("q9")).toMatchObject({ version: 7, deleted: 1 });
  });

  it("applies several operations on one item within a batch in order, deterministically", async () => {
    const ops = [
      upsert("q1", 1, { title: "One" }),
      upsert("q1", 3, { title: "Three", tags: ["three"] }),
      upsert("q1", 2, { title: "Two" }),
      remove("q2", 1),
      upsert("q2", 2, { title: "Second life" }),
      upsert("q3", 1, { title: "Short lived" }),
      remove("q3", 2),
    ];
    const response = await postBatch(ops);
    expect(response.results.map((r) => r.status)).toEqual([
      "applied",
      "applied",
      "stale",
      "applied",
      "applied",
      "applied",
      "applied",
    ]);
    expect(response.results.map((r) => r.sequenceNumber)).toEqual(ops.map((o) => o.sequenceNumber));
    expect(await storedTitles("q1")).toEqual(["Three"]);
    expect(await storedTags("q1")).toEqual(["three"]);
    expect(await storedItem("q2")).toMatchObject({ version: 2, deleted: 0 });
    expect(await searchIds("second")).toEqual(["q2"]);
    expect(await storedItem("q3")).toMatchObject({ version: 2, deleted: 1 });
    expect(await storedTitles("q3")).toEqual([]);
    await assertFtsConsistent();
  });

  it("replaces all texts of an item on update, so search forgets the old wording", async () => {
    await postBatch([upsert("q1", 1, { title: "Volcanoes" })]);
    await postBatch([upsert("q1", 2, { title: "Glaciers" })]);
    expect(await searchIds("volcanoes")).toEqual([]);
    expect(await searchIds("glaciers")).toEqual(["q1"]);
    await assertFtsConsistent();
  });

  it("keeps workspaces apart even for the same item id", async () => {
    await postBatch([upsert("q1", 1, { title: "Apples" }), upsert("q1", 1, { title: "Pears", workspaceId: WS_B })]);
    await postBatch([remove("q1", 2, WS_B)]);
    expect(await searchIds("apples")).toEqual(["q1"]);
    expect(await storedItem("q1", WS_B)).toMatchObject({ deleted: 1 });
    expect(await storedItem("q1", WS_A)).toMatchObject({ deleted: 0 });
  });

  it("applies a full 1000-operation batch of large documents (beyond one statement's limits)", async () => {
    const body = "lorem ipsum dolor ".repeat(200);
    const ops = Array.from({ length: 1000 }, (_, n) =>
      upsert(`big${n}`, 1, { title: `Bulk ${n} marker`, body, tags: Array.from({ length: 20 }, (_, t) => `tag${t}`) }),
    );
    const response = await postBatch(ops);
    expect(response.results.filter((r) => r.status === "applied")).toHaveLength(1000);
    const counts = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM catalog_items) AS items, (SELECT count(*) FROM catalog_texts) AS texts,
              (SELECT count(*) FROM catalog_tags) AS tags`,
    ).first();
    expect(counts).toEqual({ items: 1000, texts: 1000, tags: 20_000 });
    expect(await searchIds("marker")).toHaveLength(1000);
    await assertFtsConsistent();
  });

  it("rejects a malformed batch with 400 and names the failing field", async () => {
    const bad = { ...upsert("q1", 1), version: -1 };
    const response = await signedPost("/batches", { operations: [upsert("q2", 1), bad] });
    expect(response.status).toBe(400);
    const body = await response.json<{ error: { code: string; details: { path: string }[] } }>();
    expect(body.error.code).toBe("indexer.bad_batch");
    expect(body.error.details.map((d) => d.path)).toContain("operations.1.version");
    expect(await storedItem("q2")).toBeNull();
  });

  it("rejects empty, oversized and non-JSON batches with 400", async () => {
    expect((await signedPost("/batches", { operations: [] })).status).toBe(400);
    const tooMany = Array.from({ length: 1001 }, (_, n) => upsert(`x${n}`, 1));
    expect((await signedPost("/batches", { operations: tooMany })).status).toBe(400);
    const notJson = await signedPost("/batches", "{oops");
    expect(notJson.status).toBe(400);
    expect((await notJson.json<{ error: { code: string } }>()).error.code).toBe("request.bad_json");
  });
});

describe("FTS consistency check used by these tests", () => {
  it("detects an FTS index that drifted from catalog_texts", async () => {
    await postBatch([upsert("q1", 1, { title: "Drift" })]);
    await env.DB.prepare(
      "INSERT INTO catalog_fts(rowid, title, description, body, ws_token) VALUES (999, 'x', '', '', 'w')",
    ).run();
    await expect(assertFtsConsistent()).rejects.toThrow();
  });
});
