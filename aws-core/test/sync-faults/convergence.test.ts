import { newWorkspaceId } from "@questline/contracts";
import { afterAll, beforeAll, expect, it } from "vitest";
import { scanCatalogSegment } from "../../src/sync-tools/catalog-scan";
import type { FaultAction } from "./fault-proxy";
import { catalogWriter, type SyncRig, startSyncRig } from "./rig";

/**
 * Thousands of random creates/updates/deletes (re-creates included) across two workspaces
 * while the path to the indexer randomly duplicates, drops, delays, reorders, cuts and
 * tampers with batches. At the end the D1 index must equal DynamoDB exactly.
 */
const OPERATIONS = 2000;
const LANES = 8;
const seed = Number(process.env.CONVERGENCE_SEED ?? Date.now() % 1_000_000);

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with CONVERGENCE_SEED. */
function prng(initial: number): () => number {
  let a = initial >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FAULTS: [FaultAction, number][] = [
  ["duplicate", 0.07],
  ["lose-response", 0.07],
  ["drop", 0.07],
  ["refuse", 0.04],
  ["hold", 0.05],
  ["tamper", 0.04],
];

let rig: SyncRig;
beforeAll(async () => {
  rig = await startSyncRig({ maxRetries: 40 });
}, 60_000);
afterAll(async () => {
  await rig?.close();
});

it(`converges to DynamoDB under random faults (seed ${seed})`, async () => {
  const random = prng(seed);
  // Every fault happens at least once, whatever the seed and however the stream batches the
  // writes (a slow machine makes fewer, larger batches): the first batches take each fault in
  // turn, the rest are random.
  const firstOfEach = FAULTS.map(([action]) => action);
  rig.proxy.setPolicy(() => {
    const next = firstOfEach.shift();
    if (next) return next;
    let roll = random();
    for (const [action, p] of FAULTS) {
      if (roll < p) return action;
      roll -= p;
    }
    return "forward";
  });
  const workspaces = [newWorkspaceId(), newWorkspaceId()];
  let done = 0;
  const lanes = Array.from({ length: LANES }, async (_, lane) => {
    const laneRandom = prng(seed * 31 + lane);
    const workspaceId = workspaces[lane % 2] as string;
    const writer = catalogWriter(workspaceId);
    const alive: string[] = [];
    const deleted: string[] = [];
    let created = 0;
    while (done < OPERATIONS) {
      done++;
      const roll = laneRandom();
      const pick = (list: string[]) => list[Math.floor(laneRandom() * list.length)] as string;
      if (alive.length === 0 || roll < 0.3) {
        const id = deleted.length > 0 && laneRandom() < 0.15 ? pick(deleted) : `l${lane}-${created++}`;
        if (deleted.includes(id)) deleted.splice(deleted.indexOf(id), 1);
        await writer.create(id, `${id} born ${done}`, [`lane${lane}`]);
        alive.push(id);
      } else if (roll < 0.8) {
        const id = pick(alive);
        await writer.update(id, `${id} edit ${done}`, laneRandom() < 0.5 ? ["edited"] : []);
      } else {
        const id = pick(alive);
        alive.splice(alive.indexOf(id), 1);
        await writer.remove(id);
        deleted.push(id);
      }
      if (done % 400 === 0) await rig.proxy.releaseHeld();
    }
  });
  await Promise.all(lanes);
  await rig.settle(240_000);
  rig.proxy.setPolicy(() => "forward");
  await rig.proxy.releaseHeld();
  await rig.settle(240_000);

  expect(rig.processor.deadLetters).toEqual([]);
  expect(rig.proxy.statuses).toContain(401);
  for (const workspaceId of workspaces) {
    expect(await rig.reconcile(workspaceId)).toEqual([]);
    const source: Record<string, { version: number; title: string }> = {};
    for await (const page of scanCatalogSegment({ workspaceId }, 0, 1)) {
      for (const item of page.items) {
        const catalog = item.catalog as { texts: { title: string }[] };
        source[item.entityId as string] = { version: item.version as number, title: catalog.texts[0]?.title ?? "" };
      }
    }
    const rows = await rig.indexer.query<{ item_id: string; version: number; title: string }>(
      `SELECT i.item_id, i.version, t.title FROM catalog_items i
       JOIN catalog_texts t USING (workspace_id, item_type, item_id)
       WHERE i.workspace_id = ? AND i.deleted = 0`,
      workspaceId,
    );
    const index = Object.fromEntries(rows.map((r) => [r.item_id, { version: r.version, title: r.title }]));
    expect(Object.keys(source).length).toBeGreaterThan(50);
    expect(rows).toHaveLength(Object.keys(source).length);
    expect(index).toEqual(source);
  }
  // The FTS index agrees with the text rows (throws SQLITE_CORRUPT_VTAB otherwise).
  await rig.indexer.query("INSERT INTO catalog_fts(catalog_fts, rank) VALUES ('integrity-check', 1)");
}, 600_000);
