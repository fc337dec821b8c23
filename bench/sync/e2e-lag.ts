/**
 * End-to-end catalog lag: a content write acknowledged by the core (DynamoDB) → visible in
 * catalog search (an FTS MATCH on D1), under a steady write load, through the real local path:
 * DynamoDB Local → local stream processor (Lambda semantics) → stream handler → signed batch →
 * workers/indexer in workerd → local D1. Prints p50/p95/p99/max.
 *
 * Run: `npx tsx bench/sync/e2e-lag.ts`
 * Env: BENCH_RATE (writes/s, default 20), BENCH_SECONDS (default 30),
 *      BENCH_POLL_MS (stream processor poll interval, default 50; Lambda polls a shard ~4×/s).
 */
import { newWorkspaceId } from "@questline/contracts";
import { startDynamoDbLocal } from "@questline/local";
import { writeResult } from "./results";

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
process.env.WRANGLER_SEND_METRICS ??= "false";
const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 50);

const dynamo = await startDynamoDbLocal();
Object.assign(process.env, {
  AWS_REGION: "eu-west-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  DYNAMODB_ENDPOINT: dynamo.endpoint,
  POWERTOOLS_LOG_LEVEL: "SILENT",
  LOG_LEVEL: "SILENT",
});
// Imported after the environment is set: the core's logger reads its level at import.
const { catalogWriter, startSyncRig } = await import("@questline/aws-core/test/sync-rig");
const rig = await startSyncRig({ pollIntervalMs: POLL_MS, maxBatchingWindowMs: 0, batchSize: 100 });
const workspaceId = newWorkspaceId();
const wsToken = `w${Buffer.from(workspaceId).toString("hex")}`;
const writer = catalogWriter(workspaceId);

const acknowledged = new Map<string, number>();
const lags: number[] = [];
let writing = true;

/** Polls catalog search for every acknowledged-but-not-yet-visible probe token. */
async function pollVisibility(): Promise<void> {
  while (writing || acknowledged.size > 0) {
    const pending = [...acknowledged.keys()].slice(0, 60);
    if (pending.length > 0) {
      const rows = await rig.indexer.query<{ title: string }>(
        `SELECT t.title FROM catalog_fts JOIN catalog_texts t ON t.rowid = catalog_fts.rowid
         WHERE catalog_fts MATCH ?`,
        `ws_token:${wsToken} AND (${pending.join(" OR ")})`,
      );
      const now = performance.now();
      for (const { title } of rows) {
        const token = title.split(" ")[0] as string;
        const at = acknowledged.get(token);
        if (at !== undefined) {
          lags.push(now - at);
          acknowledged.delete(token);
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const poller = pollVisibility();
const total = RATE * SECONDS;
const started = performance.now();
const writes: Promise<void>[] = [];
for (let n = 0; n < total; n++) {
  const due = started + (n * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const token = `lagprobe${n}`;
  writes.push(
    writer.create(`lag${n}`, `${token} steady load item`).then(() => {
      acknowledged.set(token, performance.now());
    }),
  );
}
await Promise.all(writes);
writing = false;
await poller;

const health = await (await rig.indexer.fetch(`${rig.indexer.url}/health`)).json();
await rig.close();
await dynamo.stop();

const sorted = [...lags].sort((a, b) => a - b);
const pct = (p: number) =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
const summary = {
  writes: total,
  observed: sorted.length,
  ratePerSec: RATE,
  seconds: SECONDS,
  processorPollMs: POLL_MS,
  p50Ms: pct(50),
  p95Ms: pct(95),
  p99Ms: pct(99),
  maxMs: Math.round(sorted.at(-1) ?? 0),
};
console.log("end-to-end lag (write acknowledged → visible in catalog search); aim p99 < 1000 ms");
console.table([summary]);
console.log("indexer /health at the end:", JSON.stringify(health));
writeResult("e2e-lag", summary);
