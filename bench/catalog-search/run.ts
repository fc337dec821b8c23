/**
 * Catalog search benchmark: for each catalog size, seeds one workspace's items into local D1,
 * starts the api worker under `wrangler dev` with the bench config (worker/wrangler.toml: the
 * production app plus the LIKE baseline route, rate limits raised) and drives concurrent clients
 * against, in the same run:
 *   health      GET /health                              (no auth: the wrangler dev floor)
 *   trivial     GET /app/whoami                          (JWT verification + rate limiters)
 *   search      GET /app/catalog/search?q=forest ocean   (FTS5 + bm25, a common two-word query)
 *   like        GET /app/__bench/like-search?q=forest    (LIKE '%term%' baseline, same word)
 *   search-rare GET /app/catalog/search?q=glacier        (a word in 1 of 5000 items)
 *   like-rare   GET /app/__bench/like-search?q=glacier
 *
 *   npx tsx bench/catalog-search/run.ts [seconds=10] [clients=32]
 *   BENCH_SIZES=10000,100000,1000000 npx tsx bench/catalog-search/run.ts
 *
 * Then times the two queries alone with node:sqlite on the same file (sql-timing.ts).
 * Prints req/s, p50, p99 per scenario, the ratios, search p50 growth across sizes; writes
 * bench/results/catalog-search-<ts>.json. BENCH_KEEP=1 keeps the seeded D1 state.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { localD1File, RARE_WORD, seedCatalog, THEME_WORDS } from "./seed";
import { timeQueries } from "./sql-timing";

const root = path.resolve(import.meta.dirname, "../..");
const [secondsArg = "10", clientsArg = "32"] = process.argv.slice(2);
const SIZES = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const SECONDS = Number(secondsArg);
const WARMUP_SECONDS = Math.min(3, SECONDS);
const CLIENTS = Number(clientsArg);
const WORKSPACE = "wsBENCH001";
const REQUEST_TIMEOUT_MS = 60_000;
const CACHE_TTL_SECONDS = 30;
const resultFile = path.join(root, `bench/results/catalog-search-${Date.now()}.json`);
const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
/** The bench's own wrangler config: production `createApp()` plus the LIKE route (worker/index.ts). */
const BENCH_CONFIG = "bench/catalog-search/worker/wrangler.toml";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

function wrangler(args: string[]): void {
  // wrangler prints a JSON result per statement; give it room (spawnSync's default is 1 MiB).
  const result = spawnSync("npx", ["wrangler", ...args], { cwd: root, env, encoding: "utf8", maxBuffer: 1 << 28 });
  if (result.status !== 0) {
    throw new Error(
      `wrangler ${args.join(" ")} failed (${result.error ?? `exit ${result.status}`}):\n${result.stderr}`,
    );
  }
}

interface Stats {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
}

/** CLIENTS loops, each sending one request after the other for `seconds`. */
async function load(target: string | (() => string), token: string, seconds: number): Promise<Stats> {
  const next = typeof target === "string" ? () => target : target;
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let errors = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          const res = await fetch(next(), {
            headers: { authorization: `Bearer ${token}` },
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          await res.arrayBuffer();
          if (res.status !== 200) errors++;
        } catch {
          errors++; // timed out, or wrangler dev closed the connection
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { requests: latencies.length, errors, rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99) };
}

async function startWorker(
  state: string,
  jwksUrl: string,
  vars: string[] = [],
): Promise<{ base: string; dev: ChildProcess }> {
  const port = await freePort();
  const inspector = await freePort();
  const dev = spawn(
    "npx",
    [
      "wrangler",
      "dev",
      "-c",
      BENCH_CONFIG,
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspector),
      "--persist-to",
      state,
      "--var",
      `JWKS_URL:${jwksUrl}`,
      ...vars.flatMap((v) => ["--var", v]),
    ],
    { cwd: root, env, stdio: "ignore", detached: true },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return { base, dev };
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  stopWorker(dev);
  throw new Error("wrangler dev did not answer /health within 120 s");
}

function stopWorker(dev: ChildProcess): void {
  // npx → wrangler → workerd: signal the whole group this script started.
  if (dev.pid) process.kill(-dev.pid, "SIGTERM");
}

function mixUrl(base: string): () => string {
  const nextQuery = queryMix();
  return () => `${base}/app/catalog/search?q=${encodeURIComponent(nextQuery())}`;
}

function printStats(items: number, name: string, s: Stats): void {
  console.log(
    `${items} items  ${name.padEnd(17)} ${fmt(s.rps).padStart(6)} req/s  p50 ${fmt(s.p50).padStart(6)} ms  p99 ${fmt(
      s.p99,
    ).padStart(6)} ms  errors ${s.errors}`,
  );
}

async function hits(url: string, token: string): Promise<number> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { items?: unknown[] };
  if (res.status !== 200 || !body.items?.length) throw new Error(`${url} → ${res.status} ${JSON.stringify(body)}`);
  return body.items.length;
}

const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: "bench", alg: "RS256", use: "sig" };
const jwksPort = await freePort();
const jwksServer = createServer((_, res) => res.end(JSON.stringify({ keys: [jwk] }))).listen(jwksPort, "127.0.0.1");
const token = await new SignJWT({
  token_use: "access",
  client_id: "questline-local-app",
  "custom:workspace_id": WORKSPACE,
  "custom:context": "app",
  "custom:user_id": "bench-user",
  username: "bench",
})
  .setProtectedHeader({ alg: "RS256", kid: "bench" })
  .setIssuer("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_QuestLocal")
  .setExpirationTime("4h")
  .sign(privateKey);

/**
 * A Zipf-like query mix (s = 1 over 200 distinct queries: theme words, theme pairs, 2–5 letter
 * prefixes, the rare word), the same sequence in every run: what users type, where a few
 * queries are frequent and most are rare. Uncached (edge cache off) and cached (30 s TTL).
 */
function queryMix(): () => string {
  const queries = [
    ...THEME_WORDS,
    ...THEME_WORDS.flatMap((a, i) => THEME_WORDS.slice(i + 1, i + 5).map((b) => `${a} ${b}`)),
    ...THEME_WORDS.flatMap((w) => [w.slice(0, 2), w.slice(0, 3), w.slice(0, 5)]),
    RARE_WORD,
  ];
  const distinct = [...new Set(queries)].slice(0, 200);
  let seed = 7;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = distinct.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [distinct[i], distinct[j]] = [distinct[j] as string, distinct[i] as string];
  }
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= distinct.length; rank++) {
    total += 1 / rank;
    cumulative.push(total);
  }
  return () => {
    const x = random() * total;
    const index = cumulative.findIndex((c) => c >= x);
    return distinct[index < 0 ? distinct.length - 1 : index] as string;
  };
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const report: Record<string, unknown>[] = [];
for (const items of SIZES) {
  const state = mkdtempSync(path.join(os.tmpdir(), `questline-catalog-bench-${items}-`));
  try {
    const seedStarted = performance.now();
    wrangler(["d1", "migrations", "apply", "questline-catalog", "--local", "-c", BENCH_CONFIG, "--persist-to", state]);
    seedCatalog(localD1File(state), WORKSPACE, items);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const { base, dev } = await startWorker(state, `http://127.0.0.1:${jwksPort}/jwks.json`);
    const results: Record<string, Stats> = {};
    try {
      const scenarios = {
        health: `${base}/health`,
        trivial: `${base}/app/whoami`,
        search: `${base}/app/catalog/search?q=${encodeURIComponent("forest ocean")}&facets=false`,
        like: `${base}/app/__bench/like-search?q=forest`,
        "search-rare": `${base}/app/catalog/search?q=${RARE_WORD}&facets=false`,
        "like-rare": `${base}/app/__bench/like-search?q=${RARE_WORD}`,
        "search-facets": `${base}/app/catalog/search?q=${encodeURIComponent("forest ocean")}`,
        "search-mix": mixUrl(base),
      };
      for (const name of ["search", "like", "search-rare", "like-rare"] as const) await hits(scenarios[name], token);
      for (const [name, url] of Object.entries(scenarios)) {
        await load(url, token, WARMUP_SECONDS);
        results[name] = await load(url, token, SECONDS);
        printStats(items, name, results[name]);
      }
    } finally {
      stopWorker(dev);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // The same query mix with the edge cache on (keyed by workspace + catalog generation + query).
    const cached = await startWorker(state, `http://127.0.0.1:${jwksPort}/jwks.json`, [
      `CATALOG_CACHE_TTL_SECONDS:${CACHE_TTL_SECONDS}`,
    ]);
    try {
      results["trivial-2"] = await load(`${cached.base}/app/whoami`, token, SECONDS);
      printStats(items, "trivial-2", results["trivial-2"]);
      await load(mixUrl(cached.base), token, WARMUP_SECONDS);
      results["search-mix-cached"] = await load(mixUrl(cached.base), token, SECONDS);
      printStats(items, "search-mix-cached", results["search-mix-cached"]);
    } finally {
      stopWorker(cached.dev);
    }
    const sql = {
      common: timeQueries(localD1File(state), WORKSPACE, "forest ocean", "forest"),
      rare: timeQueries(localD1File(state), WORKSPACE, RARE_WORD, RARE_WORD),
    };
    for (const [name, t] of Object.entries(sql)) {
      console.log(
        `${items} items  SQL only (${name}): FTS page p50 ${t.fts.p50.toFixed(2)} ms, facets p50 ${t.facets.p50.toFixed(
          2,
        )} ms, LIKE p50 ${t.like.p50.toFixed(2)} ms, LIKE/FTS ×${(t.like.p50 / t.fts.p50).toFixed(1)}`,
      );
    }
    const r = (name: string) => results[name] as Stats;
    const row = {
      items,
      clients: CLIENTS,
      seconds: SECONDS,
      seedSeconds,
      loadAverage: os.loadavg(),
      ...results,
      sql,
      searchP99OverTrivialP99: r("search").p99 / r("trivial").p99,
      likeP50OverSearchP50: r("like").p50 / r("search").p50,
      rareSearchP99OverTrivialP99: r("search-rare").p99 / r("trivial").p99,
      rareLikeP50OverSearchP50: r("like-rare").p50 / r("search-rare").p50,
      facetsP99OverTrivialP99: r("search-facets").p99 / r("trivial").p99,
      mixP99OverTrivialP99: r("search-mix").p99 / r("trivial").p99,
      cachedMixP99OverTrivialP99: r("search-mix-cached").p99 / r("trivial-2").p99,
    };
    console.log(
      `${items} items  seeded in ${seedSeconds.toFixed(0)} s; search p99 / trivial p99 = ${row.searchP99OverTrivialP99.toFixed(
        2,
      )} (rare ${row.rareSearchP99OverTrivialP99.toFixed(2)}); LIKE p50 / search p50 = ${row.likeP50OverSearchP50.toFixed(
        2,
      )} (rare ${row.rareLikeP50OverSearchP50.toFixed(2)}); p99 / trivial p99: facets ${row.facetsP99OverTrivialP99.toFixed(
        2,
      )}, mix uncached ${row.mixP99OverTrivialP99.toFixed(2)}, mix cached ${row.cachedMixP99OverTrivialP99.toFixed(2)}`,
    );
    report.push(row);
    mkdirSync(path.dirname(resultFile), { recursive: true });
    writeFileSync(resultFile, JSON.stringify(report, null, 2)); // after every size: a later one may not finish
    await new Promise((resolve) => setTimeout(resolve, 1000)); // let workerd release the state files
  } finally {
    if (process.env.BENCH_KEEP === "1") console.log(`kept ${state}`);
    else rmSync(state, { recursive: true, force: true });
  }
}
const first = report[0] as { items: number; search: Stats; "search-rare": Stats } | undefined;
for (const row of report.slice(1) as (typeof first & object)[]) {
  if (!first) break;
  console.log(
    `search p50 growth ${first.items} → ${row.items} items: ×${(row.search.p50 / first.search.p50).toFixed(
      2,
    )} (rare ×${(row["search-rare"].p50 / first["search-rare"].p50).toFixed(2)})`,
  );
}
jwksServer.close();
