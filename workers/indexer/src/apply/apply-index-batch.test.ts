import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { assertFtsConsistent, remove, storedItem, storedTitles, upsert } from "../../test/support/helpers";
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

  it("reports every operation failed when D1 itself fails, after a bounded bisect", async () => {
    let calls = 0;
    const failing = {
      prepare: (sql: string) => env.DB.prepare(sql),
      batch: async () => {
        calls++;
        throw new Error("D1_ERROR: simulated outage");
      },
    } as unknown as D1Database;
    const ops = Array.from({ length: 8 }, (_, n) => upsert(`f${n}`, 1));
    const summary = await applyIndexBatch(failing, ops, { source: "stream" });
    expect(summary.results).toEqual(
      ops.map((op) => ({ sequenceNumber: op.sequenceNumber, status: "failed", error: "D1_ERROR: simulated outage" })),
    );
    expect(calls).toBe(3);
    expect(await storedItem("f1")).toBeNull();
  });

  it("isolates an operation D1 rejects: the others apply, nothing of a failed batch remains", async () => {
    // An operation whose document slipped past validation (state null) violates NOT NULL.
    const ops = Array.from({ length: 10 }, (_, n) => upsert(`p${n}`, 1));
    const poison = ops[6];
    if (poison?.op === "upsert") (poison.document as { state: unknown }).state = null;
    const summary = await applyIndexBatch(env.DB, ops, { source: "stream" });
    expect(summary.results.map((r) => r.status)).toEqual([
      ...Array(6).fill("applied"),
      "failed",
      "applied",
      "applied",
      "applied",
    ]);
    expect(summary.results[6]?.error).toContain("NOT NULL");
    expect(await storedItem("p6")).toBeNull();
    expect(await storedTitles("p6")).toEqual([]);
    expect(await storedTitles("p9")).toEqual(["Item p9 v1"]);
    await assertFtsConsistent();
  });

  it("rolls back a whole atomic batch when a later statement of it fails", async () => {
    // r1 and r2 land in two upsert statements of ONE batch; the second one fails (r2's state is
    // null). Before the bisect's first retry, nothing of that batch may be in D1.
    const poison = upsert("r2", 1);
    if (poison.op === "upsert") (poison.document as { state: unknown }).state = null;
    let calls = 0;
    let r1BeforeRetry: unknown = "not observed";
    const observed = {
      prepare: (sql: string) => env.DB.prepare(sql),
      batch: async (statements: D1PreparedStatement[]) => {
        calls++;
        if (calls === 2) r1BeforeRetry = await storedItem("r1");
        return env.DB.batch(statements);
      },
    } as unknown as D1Database;
    const summary = await applyIndexBatch(observed, [upsert("r1", 1), poison], {
      source: "stream",
      maxJsonParamBytes: 400,
    });
    expect(r1BeforeRetry).toBeNull();
    expect(summary.results.map((r) => r.status)).toEqual(["applied", "failed"]);
    expect(await storedItem("r1")).toMatchObject({ version: 1 });
    expect(await storedItem("r2")).toBeNull();
  });
});
