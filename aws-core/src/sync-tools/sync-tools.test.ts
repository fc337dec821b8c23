import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { newWorkspaceId } from "@questline/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INDEXER_TEST_KEYS, type IndexerInstance, startIndexer } from "../../test/sync-faults/indexer-harness";
import { catalogWriter } from "../../test/sync-faults/rig";
import { documentDb, dynamoClient } from "../db/client";
import { mainTableDefinition } from "../db/table-definition";
import { IndexerApi } from "./indexer-api";
import { compareInventories, reconcileWorkspace, repairDifferences } from "./reconcile";
import { reindex } from "./reindex";

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const table = `sync-tools-${newWorkspaceId()}`;
const stateDir = mkdtempSync(join(tmpdir(), "ql-sync-tools-"));
let indexer: IndexerInstance;
let api: IndexerApi;
const savedTableName = process.env.TABLE_NAME;

beforeAll(async () => {
  await dynamoClient().send(new CreateTableCommand(mainTableDefinition(table)));
  process.env.TABLE_NAME = table;
  indexer = await startIndexer();
  api = new IndexerApi({ url: indexer.url, ...INDEXER_TEST_KEYS });
}, 60_000);
afterAll(async () => {
  await indexer?.close();
  await dynamoClient()
    .send(new DeleteTableCommand({ TableName: table }))
    .catch(() => {});
  rmSync(stateDir, { recursive: true, force: true });
  process.env.TABLE_NAME = savedTableName;
});

async function seed(workspaceId: string, count: number) {
  const writer = catalogWriter(workspaceId);
  for (let i = 0; i < count; i++) await writer.create(`item${String(i).padStart(3, "0")}`, `Seeded ${i}`);
  return writer;
}

const writerFor = (workspaceId: string) => catalogWriter(workspaceId);
const reconcile = (workspaceId: string, sample?: number) =>
  reconcileWorkspace({ workspaceId, indexer: api, totalSegments: 2, ...(sample ? { sample } : {}) });

describe("reindex", () => {
  it("rebuilds one workspace, then all, through the indexer", async () => {
    const [a, b] = [newWorkspaceId(), newWorkspaceId()];
    await seed(a, 12);
    await seed(b, 5);
    const first = await reindex({ scope: { workspaceId: a }, indexer: api, totalSegments: 3, pageSize: 4 });
    expect(first).toMatchObject({ scanned: 12, applied: 12, stale: 0, skipped: 0, segmentsDone: 3 });
    expect((await reconcile(a)).differences).toEqual([]);
    expect((await reconcile(b)).differences.map((d) => d.kind)).toEqual(Array(5).fill("missing"));

    const all = await reindex({ scope: { all: true }, indexer: api, totalSegments: 2 });
    expect(all.applied).toBeGreaterThanOrEqual(5);
    expect((await reconcile(b)).differences).toEqual([]);
  });

  it("resumes from its checkpoint after a crash, without redoing finished pages", async () => {
    const ws = newWorkspaceId();
    await seed(ws, 20);
    const checkpointFile = join(stateDir, "resume.json");
    let pages = 0;
    let appliedBeforeCrash = 0;
    await expect(
      reindex({
        scope: { workspaceId: ws },
        indexer: api,
        totalSegments: 1,
        pageSize: 5,
        checkpointFile,
        onProgress: (p) => {
          appliedBeforeCrash = p.applied;
        },
        afterPage: () => {
          pages++;
          if (appliedBeforeCrash > 0) throw new Error("simulated crash");
        },
      }),
    ).rejects.toThrow("simulated crash");
    const saved = JSON.parse(readFileSync(checkpointFile, "utf8"));
    expect(saved.segments[0].lastEvaluatedKey).toBeDefined();

    const resumed = await reindex({
      scope: { workspaceId: ws },
      indexer: api,
      totalSegments: 1,
      pageSize: 5,
      checkpointFile,
    });
    expect(appliedBeforeCrash).toBeGreaterThan(0);
    expect(appliedBeforeCrash).toBeLessThan(20);
    expect(pages).toBeGreaterThan(0);
    expect(resumed).toMatchObject({ applied: 20 - appliedBeforeCrash, stale: 0 });
    expect(existsSync(checkpointFile)).toBe(false);
    expect((await reconcile(ws)).differences).toEqual([]);
  });

  it("skips items that break the index contract, like the stream handler does", async () => {
    const ws = newWorkspaceId();
    await seed(ws, 2);
    await documentDb().send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: `WS#${ws}`,
          sk: "QUIZ#broken",
          workspaceId: ws,
          entityType: "quiz",
          entityId: "broken",
          version: 1,
          catalog: { state: "NOPE" },
        },
      }),
    );
    const result = await reindex({ scope: { workspaceId: ws }, indexer: api, totalSegments: 1 });
    expect(result).toMatchObject({ applied: 2, skipped: 1 });
    const report = await reconcile(ws);
    expect(report).toMatchObject({ unindexable: 1, differences: [] });
  });

  it("never overwrites a newer version the stream already applied", async () => {
    const ws = newWorkspaceId();
    const writer = await seed(ws, 1);
    await writer.update("item000", "Edited");
    // The stream delivered v3 before the reindex's scan image (v2) arrives.
    await api.applyBatch([
      {
        op: "upsert",
        workspaceId: ws,
        itemType: "quiz",
        itemId: "item000",
        version: 3,
        changedAt: Date.now(),
        sequenceNumber: "live-1",
        document: {
          state: "PUBLISHED",
          origin: "CUSTOM",
          defaultLang: "en",
          texts: [{ lang: "en", title: "Live v3", description: "", body: "" }],
          tags: [],
          mediaRefs: [],
          payload: {},
          createdAt: "2026-01-01T00:00:00.000Z",
          updatedAt: "2026-01-01T00:00:00.000Z",
        },
      },
    ]);
    const result = await reindex({ scope: { workspaceId: ws }, indexer: api, totalSegments: 1 });
    expect(result).toMatchObject({ applied: 0, stale: 1 });
    const rows = await indexer.query<{ version: number }>(
      "SELECT version FROM catalog_items WHERE workspace_id = ?",
      ws,
    );
    expect(rows).toEqual([{ version: 3 }]);
  });
});

describe("reconcile", () => {
  it("finds missing, stale, orphan and ahead items, and repairs what versions allow", async () => {
    const ws = newWorkspaceId();
    const writer = await seed(ws, 6);
    await reindex({ scope: { workspaceId: ws }, indexer: api, totalSegments: 1 });
    await writer.create("fresh", "Not yet indexed");
    await writer.update("item001", "Edited after indexing");
    // Gone from DynamoDB without a stream record reaching the index:
    await documentDb().send(new DeleteCommand({ TableName: table, Key: { pk: `WS#${ws}`, sk: "QUIZ#item002" } }));

    const report = await reconcile(ws);
    expect(report.differences).toEqual([
      { kind: "missing", itemType: "quiz", itemId: "fresh", sourceVersion: 1 },
      { kind: "stale", itemType: "quiz", itemId: "item001", sourceVersion: 2, indexVersion: 1, indexDeleted: false },
      { kind: "orphan", itemType: "quiz", itemId: "item002", indexVersion: 1 },
    ]);
    const { repaired, unrepairable } = await repairDifferences(report, api);
    expect({ repaired, unrepairable }).toEqual({ repaired: 3, unrepairable: [] });
    expect((await reconcile(ws)).differences).toEqual([]);
  });

  it("samples N source items", async () => {
    const ws = newWorkspaceId();
    await seed(ws, 10);
    const report = await reconcile(ws, 4);
    expect(report.mode).toBe("sample");
    expect(report.checked).toBe(4);
    expect(report.differences.map((d) => d.kind)).toEqual(Array(4).fill("missing"));
  });

  it("classifies index rows newer than DynamoDB as ahead (not repairable by version)", () => {
    const index = new Map([
      ["quiz#a", { itemType: "quiz", itemId: "a", version: 5, deleted: false }],
      ["quiz#b", { itemType: "quiz", itemId: "b", version: 2, deleted: true }],
      ["quiz#c", { itemType: "quiz", itemId: "c", version: 1, deleted: true }],
      ["quiz#gone", { itemType: "quiz", itemId: "gone", version: 4, deleted: true }],
    ]);
    const source = [
      { itemType: "quiz", itemId: "a", version: 3 },
      { itemType: "quiz", itemId: "b", version: 2 },
      { itemType: "quiz", itemId: "c", version: 2 },
    ];
    expect(compareInventories(source, index, true).map((d) => [d.itemId, d.kind])).toEqual([
      ["a", "ahead"],
      ["b", "ahead"],
      ["c", "missing"],
    ]);
  });

  it("the CLIs: reconcile exits 1 on differences, reindex fixes them, reconcile --repair exits 0", async () => {
    const ws = newWorkspaceId();
    await seed(ws, 3);
    const cli = (script: string, ...args: string[]) =>
      execFileAsync(process.execPath, ["--import", "tsx", script, "--workspace", ws, ...args], {
        cwd: repoRoot,
        env: {
          ...process.env,
          INDEXER_URL: indexer.url,
          INDEXER_ACCESS_KEY_ID: INDEXER_TEST_KEYS.accessKeyId,
          INDEXER_SECRET_ACCESS_KEY: INDEXER_TEST_KEYS.secretAccessKey,
        },
      }).then(
        (out) => ({ code: 0, stdout: out.stdout, stderr: out.stderr }),
        (err: { code: number; stdout: string; stderr: string }) => ({
          code: err.code,
          stdout: err.stdout,
          stderr: err.stderr,
        }),
      );
    const run = (...args: string[]) => cli("scripts/reconcile.ts", ...args);
    const before = await run();
    expect(before.code, before.stderr).toBe(1);
    expect(before.stdout, before.stderr).toContain("3 differences");

    const rebuilt = await cli("scripts/reindex.ts", "--checkpoint", join(stateDir, "cli.json"));
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toContain('"applied":3');
    expect((await run()).code).toBe(0);

    await writerFor(ws).update("item000", "Edited after reindex");
    const repaired = await run("--repair");
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain("1 differences");
    expect(repaired.stdout).toContain("0 differences");
  });
});
