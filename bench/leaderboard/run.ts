/**
 * Leaderboard benchmark: one leaderboard with 1,000,000 members (BENCH_MEMBERS to change).
 *
 *   npx tsx bench/leaderboard/run.ts            # starts its own redis-server on a free port
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx bench/leaderboard/run.ts
 *
 * Measured in the same run against the same Redis:
 *  - score updates/s through the core's Redis path (`LeaderboardStore.setScore`: the versioned
 *    Lua script that applyScoringEvent runs after the DynamoDB commit), beside raw ZINCRBY;
 *  - read latency p50/p99 of the core's top-10 + my-rank read (`LeaderboardStore.readRankings`,
 *    one script: page, policy ranks, my entry, display names), beside raw ZREVRANGE + ZREVRANK
 *    sent together (one round trip).
 * Prints the ratios (aim: reads within 3x raw, updates within 5x).
 */
import { performance } from "node:perf_hooks";
import { createRedisClient, LeaderboardStore, leaderboardKeys } from "@questline/aws-core/leaderboard-ops";
import { startRedisServer } from "@questline/local";
import cliProgress from "cli-progress";
import type { Redis } from "ioredis";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
const UPDATES = Number(process.env.BENCH_UPDATES ?? 200_000);
const READS = Number(process.env.BENCH_READS ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function runConcurrent(total: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) await task(next++);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

async function latencies(total: number, task: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < total; i++) {
    const t = performance.now();
    await task(i);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

async function main() {
  const server = process.env.REDIS_URL ? undefined : await startRedisServer();
  const url = process.env.REDIS_URL ?? server!.url;
  const client: Redis = createRedisClient(url);
  const store = new LeaderboardStore(client);
  const keys = leaderboardKeys("benchWs0001", "bench-leaderboard", "PERMANENT");
  const rawKey = "benchWs0001:raw:{bench}:z";
  await client.del(rawKey);
  await store.beginRebuild(keys);
  await store.finishRebuild(keys);

  console.log(`filling ${fmt(MEMBERS)} members (core path and raw set) ...`);
  const bar = new cliProgress.SingleBar(
    { noTTYOutput: true, notTTYSchedule: 5000 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(MEMBERS, 0);
  const versions = new Map<number, number>();
  const scoreOf = (i: number) => (i * 7919) % 100_000;
  let filled = 0;
  await runConcurrent(MEMBERS, async (i) => {
    await Promise.all([
      store.setScore(keys, { userId: `user-${i}`, score: scoreOf(i), reachedAtMs: 1_700_000_000_000 + i, version: 1 }),
      client.zadd(rawKey, scoreOf(i), `user-${i}`),
    ]);
    if (++filled % 10_000 === 0) bar.update(filled);
  });
  bar.update(MEMBERS);
  bar.stop();

  // Updates: the same random users and increments for both paths.
  const pick = (i: number) => (i * 2_654_435_761) % MEMBERS;
  const coreUpdates = await runConcurrent(UPDATES, async (i) => {
    const user = pick(i);
    const version = (versions.get(user) ?? 1) + 1;
    versions.set(user, version);
    await store.setScore(keys, {
      userId: `user-${user}`,
      score: scoreOf(user) + version,
      reachedAtMs: 1_800_000_000_000 + i,
      version,
    });
  });
  const rawUpdates = await runConcurrent(UPDATES, (i) => client.zincrby(rawKey, 1, `user-${pick(i)}`));

  // Reads: top 10 + my rank, sequential latency.
  const me = (i: number) => `user-${(i * 104_729) % MEMBERS}`;
  const core = await latencies(READS, (i) =>
    store.readRankings(keys, { offset: 0, limit: 10, userId: me(i), policy: "RANK" }),
  );
  const raw = await latencies(READS, (i) =>
    Promise.all([client.zrevrange(rawKey, 0, 9, "WITHSCORES"), client.zrevrank(rawKey, me(i))]),
  );
  const dense = await latencies(READS, (i) =>
    store.readRankings(keys, { offset: 0, limit: 10, userId: me(i), policy: "DENSE_RANK" }),
  );

  const members = await client.zcard(keys.scores);
  console.log(`\nleaderboard members: ${fmt(members)} (raw set ${fmt(await client.zcard(rawKey))})`);
  console.log(`concurrency ${CONCURRENCY}, ${fmt(UPDATES)} updates, ${fmt(READS)} reads each\n`);
  console.log("                               core            raw Redis       ratio");
  console.log(
    `updates/s                      ${fmt(coreUpdates).padEnd(16)}${fmt(rawUpdates).padEnd(16)}${fmt(rawUpdates / coreUpdates, 2)}x slower (aim <= 5x)`,
  );
  console.log(
    `top-10 + my rank p50 (ms)      ${fmt(core.p50, 3).padEnd(16)}${fmt(raw.p50, 3).padEnd(16)}${fmt(core.p50 / raw.p50, 2)}x (aim <= 3x)`,
  );
  console.log(
    `top-10 + my rank p99 (ms)      ${fmt(core.p99, 3).padEnd(16)}${fmt(raw.p99, 3).padEnd(16)}${fmt(core.p99 / raw.p99, 2)}x (aim <= 3x)`,
  );
  console.log(`DENSE_RANK read p50/p99 (ms)   ${fmt(dense.p50, 3)} / ${fmt(dense.p99, 3)}`);

  await client.del(rawKey, ...Object.values(keys));
  client.disconnect();
  await server?.stop();
}

await main();
