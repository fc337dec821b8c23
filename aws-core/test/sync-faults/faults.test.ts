import { newWorkspaceId } from "@questline/contracts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { catalogWriter, type SyncRig, startSyncRig } from "./rig";

/**
 * Fault scenarios on the full local sync path (see rig.ts). After each one, `reconcile`
 * must report zero differences between DynamoDB and the D1 index.
 */
let rig: SyncRig;
let workspaceId: string;
let writer: ReturnType<typeof catalogWriter>;

beforeAll(async () => {
  rig = await startSyncRig();
}, 60_000);
afterAll(async () => {
  await rig?.close();
});
beforeEach(() => {
  workspaceId = newWorkspaceId();
  writer = catalogWriter(workspaceId);
  rig.proxy.setPolicy(() => "forward");
  rig.proxy.setPoison(() => false);
});

async function liveTitles(): Promise<Record<string, string>> {
  const rows = await rig.indexer.query<{ item_id: string; title: string }>(
    `SELECT t.item_id, t.title FROM catalog_texts t JOIN catalog_items i USING (workspace_id, item_type, item_id)
     WHERE t.workspace_id = ? AND i.deleted = 0`,
    workspaceId,
  );
  return Object.fromEntries(rows.map((r) => [r.item_id, r.title]));
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("sync faults", () => {
  it("duplicate delivery and lost responses change nothing", async () => {
    let n = 0;
    rig.proxy.setPolicy(() => (n++ % 2 === 0 ? "duplicate" : "lose-response"));
    for (let i = 0; i < 10; i++) await writer.create(`d${i}`, `Dup ${i}`);
    for (let i = 0; i < 5; i++) await writer.update(`d${i}`, `Dup ${i} edited`);
    await rig.settle();
    expect(await rig.reconcile(workspaceId)).toEqual([]);
    expect((await liveTitles()).d0).toBe("Dup 0 edited");
  });

  it("a batch delivered late, after newer ones, is ignored (reordering)", async () => {
    let first = true;
    rig.proxy.setPolicy(() => {
      if (!first) return "forward";
      first = false;
      return "hold";
    });
    for (let i = 0; i < 5; i++) await writer.create(`r${i}`, `Original ${i}`);
    await rig.settle();
    rig.proxy.setPolicy(() => "forward");
    for (let i = 0; i < 5; i++) await writer.update(`r${i}`, `Revised ${i}`);
    await rig.settle();
    expect(await rig.proxy.releaseHeld()).toEqual([200]);
    expect(await rig.reconcile(workspaceId)).toEqual([]);
    expect(await liveTitles()).toEqual(Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`r${i}`, `Revised ${i}`])));
  });

  it("a dropped batch is retried later and lands", async () => {
    let n = 0;
    rig.proxy.setPolicy(() => (n++ < 2 ? "drop" : "forward"));
    for (let i = 0; i < 8; i++) await writer.create(`p${i}`, `Dropped once ${i}`);
    await rig.settle();
    expect(n).toBeGreaterThan(2);
    expect(Object.keys(await liveTitles())).toHaveLength(8);
    expect(await rig.reconcile(workspaceId)).toEqual([]);
  });

  it("loses nothing while the indexer is down for a while", async () => {
    let refused = 0;
    rig.proxy.setPolicy(() => {
      refused++;
      return "refuse";
    });
    for (let i = 0; i < 12; i++) await writer.create(`o${i}`, `Outage ${i}`);
    await waitFor(() => refused >= 3, "three refused deliveries");
    expect(await liveTitles()).toEqual({});
    rig.proxy.setPolicy(() => "forward");
    await rig.settle();
    expect(Object.keys(await liveTitles())).toHaveLength(12);
    expect(await rig.reconcile(workspaceId)).toEqual([]);
  });

  it("dead-letters a poison record while the others proceed; repair brings it in once fixed", async () => {
    const dlqBefore = rig.processor.deadLetters.length;
    rig.proxy.setPoison((op) => op.itemId === "poison");
    for (let i = 0; i < 4; i++) await writer.create(`ok${i}`, `Fine ${i}`);
    await writer.create("poison", "Poison");
    for (let i = 4; i < 8; i++) await writer.create(`ok${i}`, `Fine ${i}`);
    await rig.settle();

    const letters = rig.processor.deadLetters.slice(dlqBefore);
    const lettered = letters.flatMap((l) => l.records.map((r) => r.dynamodb?.Keys?.sk?.S));
    expect(lettered).toEqual(["QUIZ#poison"]);
    expect(Object.keys(await liveTitles()).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `ok${i}`));
    expect(await rig.reconcile(workspaceId)).toEqual([
      { kind: "missing", itemType: "quiz", itemId: "poison", sourceVersion: 1 },
    ]);

    rig.proxy.setPoison(() => false);
    await rig.repair(workspaceId);
    expect(await rig.reconcile(workspaceId)).toEqual([]);
  });

  it("a stale upsert arriving after the delete does not resurrect the item", async () => {
    await writer.create("ghost", "Ghost v1");
    await rig.settle();
    let first = true;
    rig.proxy.setPolicy(() => {
      if (!first) return "forward";
      first = false;
      return "hold";
    });
    await writer.update("ghost", "Ghost v2");
    await rig.settle();
    await writer.remove("ghost");
    await rig.settle();
    expect(await rig.proxy.releaseHeld()).toEqual([200]);
    const rows = await rig.indexer.query<{ version: number; deleted: number }>(
      "SELECT version, deleted FROM catalog_items WHERE workspace_id = ? AND item_id = 'ghost'",
      workspaceId,
    );
    expect(rows).toEqual([{ version: 3, deleted: 1 }]);
    expect(await liveTitles()).toEqual({});
    expect(await rig.reconcile(workspaceId)).toEqual([]);

    await writer.create("ghost", "Ghost reborn");
    await rig.settle();
    expect(await liveTitles()).toEqual({ ghost: "Ghost reborn" });
    expect(await rig.reconcile(workspaceId)).toEqual([]);
  });

  it("rejects batches whose signature does not match, and applies them once properly signed", async () => {
    const statusesBefore = rig.proxy.statuses.length;
    let n = 0;
    rig.proxy.setPolicy(() => (n++ < 2 ? "tamper" : "forward"));
    for (let i = 0; i < 6; i++) await writer.create(`s${i}`, `Signed ${i}`);
    await rig.settle();
    const statuses = rig.proxy.statuses.slice(statusesBefore);
    expect(statuses.slice(0, 2)).toEqual([401, 401]);
    const versions = await rig.indexer.query<{ v: number }>(
      "SELECT max(version) AS v FROM catalog_items WHERE workspace_id = ?",
      workspaceId,
    );
    expect(versions).toEqual([{ v: 1 }]);
    expect(await rig.reconcile(workspaceId)).toEqual([]);
  });

  it("applies a stream batch larger than D1's per-statement limits (1000 operations in one request)", async () => {
    const sizesBefore = rig.proxy.batchSizes.length;
    await rig.pauseProcessor(
      async () => {
        const lanes = Array.from({ length: 8 }, async (_, lane) => {
          for (let i = lane; i < 1100; i += 8) await writer.create(`big${i}`, `Bulk ${i}`, ["bulk", `lane${lane}`]);
        });
        await Promise.all(lanes);
      },
      { batchSize: 1000 },
    );
    await rig.settle();
    expect(Math.max(...rig.proxy.batchSizes.slice(sizesBefore))).toBe(1000);
    const [counts] = await rig.indexer.query<{ items: number; tags: number }>(
      `SELECT (SELECT count(*) FROM catalog_items WHERE workspace_id = ?1) AS items,
              (SELECT count(*) FROM catalog_tags WHERE workspace_id = ?1) AS tags`,
      workspaceId,
    );
    expect(counts).toEqual({ items: 1100, tags: 2200 });
    expect(await rig.reconcile(workspaceId)).toEqual([]);
  }, 180_000);
});
