/**
 * Indexer apply throughput (operations/s) for batch sizes 1, 100 and 1000, beside a bare D1
 * batch insert of the same rows in the same run (bare-insert-worker.ts), both in workerd with
 * local D1, each in its own wrangler test harness and reached the same way (server.fetch). Run: `npx tsx bench/sync/apply-throughput.ts`
 * Options (env): BENCH_SIZES (default 1,100,1000), BENCH_OPS (operations per batch size, default 3000), BENCH_ROUNDS (3).
 */
import { fileURLToPath } from "node:url";
import { INDEXER_SIGNING, type IndexOperation } from "@questline/contracts";
import { AwsClient } from "aws4fetch";
import { createTestHarness } from "wrangler";
import { writeResult } from "./results";

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
process.env.WRANGLER_SEND_METRICS ??= "false";
const KEYS = { accessKeyId: "bench-indexer-key", secretAccessKey: "bench-indexer-secret" };
const OPS = Number(process.env.BENCH_OPS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH_SIZES = (process.env.BENCH_SIZES ?? "1,100,1000").split(",").map(Number);

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
// One harness per worker, so both are reached through the same dispatch (server.fetch).
const server = createTestHarness({
  workers: [
    {
      configPath: here("../../workers/indexer/wrangler.toml"),
      secrets: { INDEXER_ACCESS_KEY_ID: KEYS.accessKeyId, INDEXER_SECRET_ACCESS_KEY: KEYS.secretAccessKey },
    },
  ],
});
const bareServer = createTestHarness({ workers: [{ configPath: here("bare-insert.wrangler.toml") }] });
const { url } = await server.listen();
const { url: bareUrl } = await bareServer.listen();
await server.getWorker().applyD1Migrations("DB");
await bareServer.getWorker().applyD1Migrations("DB");
const signer = new AwsClient({ ...KEYS, service: INDEXER_SIGNING.service, region: INDEXER_SIGNING.region, retries: 0 });

let serial = 0;
function operations(count: number): IndexOperation[] {
  return Array.from({ length: count }, () => {
    serial++;
    return {
      op: "upsert",
      workspaceId: "wsBENCH000",
      itemType: "quiz",
      itemId: `q${serial}`,
      version: 1,
      changedAt: Date.now(),
      sequenceNumber: String(serial),
      document: {
        state: "PUBLISHED",
        origin: "CUSTOM",
        defaultLang: "en",
        texts: [
          {
            lang: "en",
            title: `Quiz ${serial} about volcanoes`,
            description: "A short quiz",
            body: "lorem ipsum ".repeat(20),
          },
        ],
        tags: ["science", "geology", `t${serial % 10}`],
        mediaRefs: [],
        payload: { questions: 5 },
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-01T00:00:00.000Z",
      },
    };
  });
}

async function viaIndexer(batch: IndexOperation[]): Promise<void> {
  const body = JSON.stringify({ operations: batch });
  const signed = await signer.sign(new URL("/batches", url).toString(), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  const response = await server.fetch(signed.url, { method: "POST", headers: [...signed.headers], body });
  if (response.status !== 200) throw new Error(`indexer ${response.status}: ${await response.text()}`);
  const { results } = (await response.json()) as { results: { status: string }[] };
  if (results.some((r) => r.status !== "applied")) throw new Error("unexpected non-applied result");
}

const viaBareInsert =
  (mode: "rows" | "json") =>
  async (batch: IndexOperation[]): Promise<void> => {
    const response = await bareServer.fetch(new URL(`/insert?mode=${mode}`, bareUrl).toString(), {
      method: "POST",
      body: JSON.stringify({ operations: batch }),
    });
    if (response.status !== 200) throw new Error(`bare ${response.status}: ${await response.text()}`);
    await response.text();
  };

async function measure(send: (batch: IndexOperation[]) => Promise<void>, batchSize: number): Promise<number> {
  const total = batchSize === 1 ? Math.min(OPS, 500) : OPS;
  const batches = Array.from({ length: Math.ceil(total / batchSize) }, () => operations(batchSize));
  const started = performance.now();
  for (const batch of batches) await send(batch);
  return (batches.length * batchSize) / ((performance.now() - started) / 1000);
}

const rows: Record<string, number>[] = [];
await measure(viaIndexer, 100); // warm-up every path
await measure(viaBareInsert("rows"), 100);
await measure(viaBareInsert("json"), 100);
for (const batchSize of BATCH_SIZES) {
  const runs = { indexer: [] as number[], rows: [] as number[], json: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.indexer.push(await measure(viaIndexer, batchSize));
    runs.rows.push(await measure(viaBareInsert("rows"), batchSize));
    runs.json.push(await measure(viaBareInsert("json"), batchSize));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const [indexer, perRow, setBased] = [median(runs.indexer), median(runs.rows), median(runs.json)];
  rows.push({
    batchSize,
    "indexer ops/s": Math.round(indexer),
    "bare per-row ops/s": Math.round(perRow),
    "bare set-based ops/s": Math.round(setBased),
    "best bare / indexer": Number((Math.max(perRow, setBased) / indexer).toFixed(2)),
  });
}
await server.close();
await bareServer.close();

console.log("indexer apply throughput, median of rounds (aim: best bare / indexer ≤ 2)");
console.table(rows);
writeResult("apply-throughput", { ops: OPS, rounds: ROUNDS, rows });
