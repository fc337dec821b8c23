/**
 * Catalog search benchmark: seeds N items into local D1, starts the api worker under
 * `wrangler dev --env bench`, and drives 32 concurrent clients against (a) an authenticated
 * trivial route (/app/whoami), (b) FTS5 search, (c) the same search with LIKE '%term%'.
 *
 *   npx tsx bench/catalog-search/run.ts [items=100000] [seconds=10] [concurrency=32]
 *   BENCH_SIZES=10000,100000,1000000 npx tsx bench/catalog-search/run.ts   # growth of search p50
 *
 * Prints req/s, p50, p99 and the ratios; writes bench/results/catalog-search-<ts>.json.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

const root = path.resolve(import.meta.dirname, "../..");
const [itemsArg = "100000", secondsArg = "10", concurrencyArg = "32"] = process.argv.slice(2);
const sizes = (process.env.BENCH_SIZES ?? itemsArg).split(",").map(Number);
const seconds = Number(secondsArg);
const concurrency = Number(concurrencyArg);
const WORKSPACE = "wsBENCH001";
const PORT = 8799;
const WORDS = (
  "climate energy water forest ocean recycling solar wind carbon garden city mobility food waste " +
  "biodiversity river mountain soil plastic bicycle train compost insect bird tree rain heat cold light"
).split(" ");

const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

function rand(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function seedSql(n: number, file: string) {
  const r = rand(42);
  const pick = () => WORDS[Math.floor(r() * WORDS.length)];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `item${i}`;
    const title = `${pick()} ${pick()} ${i}`;
    const body = Array.from({ length: 30 }, pick).join(" ");
    lines.push(
      `INSERT INTO catalog_items VALUES ('${WORKSPACE}','learningGroup','${id}',1,0,'PUBLISHED','CUSTOM','en','[]','[]','{}','2026-01-01','2026-01-01',1,1);`,
      `INSERT INTO catalog_texts (workspace_id,item_type,item_id,lang,title,description,body) VALUES ('${WORKSPACE}','learningGroup','${id}','en','${title}','','${body}');`,
    );
  }
  writeFileSync(file, lines.join("\n"));
}

function wrangler(args: string[]) {
  const result = spawnSync("npx", ["wrangler", ...args], { cwd: root, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed:\n${result.stderr}`);
}

async function load(url: string, token: string) {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        if (res.status !== 200) errors++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { requests: latencies.length, errors, rps: latencies.length / seconds, p50: q(0.5), p99: q(0.99) };
}

const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: "bench", alg: "RS256", use: "sig" };
const jwksServer = createServer((_, res) => res.end(JSON.stringify({ keys: [jwk] }))).listen(8790, "127.0.0.1");
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
  .setExpirationTime("2h")
  .sign(privateKey);

const report: Record<string, unknown>[] = [];
for (const n of sizes) {
  const state = path.join(root, `.wrangler/bench-${n}`);
  rmSync(state, { recursive: true, force: true });
  mkdirSync(path.join(root, "bench/results"), { recursive: true });
  const seedFile = path.join(root, `bench/results/seed-${n}.sql`);
  seedSql(n, seedFile);
  wrangler(["d1", "migrations", "apply", "questline-catalog", "--local", "--env", "bench", "--persist-to", state]);
  wrangler([
    "d1",
    "execute",
    "questline-catalog",
    "--local",
    "--env",
    "bench",
    "--persist-to",
    state,
    "--file",
    seedFile,
  ]);

  const dev = spawn("npx", ["wrangler", "dev", "--env", "bench", "--port", String(PORT), "--persist-to", state], {
    cwd: root,
    env,
    stdio: "ignore",
  });
  const base = `http://127.0.0.1:${PORT}`;
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  const query = "forest ocean";
  const scenarios = {
    trivial: `${base}/app/whoami`,
    search: `${base}/app/catalog/search?q=${encodeURIComponent(query)}&facets=false`,
    like: `${base}/app/__bench/like-search?q=${encodeURIComponent("forest")}`,
  };
  const results: Record<string, Awaited<ReturnType<typeof load>>> = {};
  for (const [name, url] of Object.entries(scenarios)) {
    await load(url, token); // warm-up is the first pass; the second one counts
    results[name] = await load(url, token);
  }
  dev.kill("SIGTERM");
  const row = {
    items: n,
    concurrency,
    seconds,
    ...results,
    searchP99OverTrivialP99: results.search!.p99 / results.trivial!.p99,
    likeP50OverSearchP50: results.like!.p50 / results.search!.p50,
  };
  console.log(JSON.stringify(row, null, 2));
  report.push(row);
}
writeFileSync(path.join(root, `bench/results/catalog-search-${Date.now()}.json`), JSON.stringify(report, null, 2));
jwksServer.close();
