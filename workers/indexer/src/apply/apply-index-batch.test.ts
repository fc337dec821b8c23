import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { assertFtsConsistent, remove, storedItem, storedTitles, upsert } from "../test/helpers";
import { applyIndexBatch } from "./apply-index-batch";

describe("applyIndexBatch", () => {
  it("splits rows across several statements when they exceed the JSON parameter budget, in one atomic batch", async () => {
    const ops = Array.from({ length: 40 }, (_, n) => upsert(`c${n}`, 1, { body: "x".repeat(500) }));
    const summary = await applyIndexBatch(env.DB, [...ops, remove("c0", 2)], {
      source: "stream",
      maxJsonParamBytes: 4_000,
    });
    expect(summary.statements).toBeGreaterThan(10);
    expect(summary.applied).toBe(41);
    expect(await storedItem("c0")).toMatchObject({ deleted: 1, version: 2 });
    expect(await storedTitles("c39")).toEqual(["Item c39 v1"]);
    await assertFtsConsistent();
  });

  it("reports every operation failed (and writes nothing) when the D1 batch fails", async () => {
    const failing = {
      prepare: (sql: string) => env.DB.prepare(sql),
      batch: async () => {
        throw new Error("D1_ERROR: simulated outage");
      },
    } as unknown as D1Database;
    const ops = [upsert("f1", 1), upsert("f2", 1)];
    const summary = await applyIndexBatch(failing, ops, { source: "stream" });
    expect(summary.results).toEqual(
      ops.map((op) => ({ sequenceNumber: op.sequenceNumber, status: "failed", error: "D1_ERROR: simulated outage" })),
    );
    expect(await storedItem("f1")).toBeNull();
  });

  it("rolls back the whole batch when a later statement fails inside D1", async () => {
    // r1 lands in the first items statement; r2 (state null slipped past validation) makes the
    // second one violate NOT NULL. Nothing of the batch may remain.
    const poison = upsert("r2", 1);
    if (poison.op === "upsert") (poison.document as { state: unknown }).state = null;
    const summary = await applyIndexBatch(env.DB, [upsert("r1", 1), poison], {
      source: "stream",
      maxJsonParamBytes: 400,
    });
    expect(summary.failed).toBe(2);
    expect(summary.results.every((r) => r.status === "failed" && r.error?.includes("NOT NULL"))).toBe(true);
    expect(await storedItem("r1")).toBeNull();
    expect(await storedTitles("r1")).toEqual([]);
  });
});
