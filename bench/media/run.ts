/**
 * Media delivery benchmark: the media worker under `wrangler dev` (workerd + local R2) beside
 * nginx serving the same files from disk on loopback, in the same run, with ratios.
 *
 *   npx tsx bench/media/run.ts      (from the repository root; needs nginx: apt-get install -y nginx)
 *
 * Scenarios: full GETs of 1 MiB and 64 MiB objects and 64 KiB range reads at random offsets of
 * the 64 MiB object — for public objects (Cache API in front of R2) and private ones (signed
 * URL, read from R2). Then the peak RSS of the workerd process while 16 clients read 64 MiB
 * objects at once, against the same with 1 MiB objects (it must not grow with object size).
 *
 * Env knobs: BENCH_N_1M (200), BENCH_N_64M (16), BENCH_N_RANGE (400), BENCH_CONCURRENCY (8),
 * BENCH_KEEP=1 keeps the temp dir.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
const WS = "benchWsAAA";
const SECRET = "bench-signing-secret";
const MIB = 1024 * 1024;
const N_1M = Number(process.env.BENCH_N_1M ?? 200);
const N_64M = Number(process.env.BENCH_N_64M ?? 16);
const N_RANGE = Number(process.env.BENCH_N_RANGE ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

function findNginx(): string {
  for (const candidate of ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"]) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync("sh", ["-c", "command -v nginx"]).toString().trim();
  } catch {
    console.error("nginx is not installed. On Debian: sudo apt-get install -y nginx  (then re-run the bench)");
    process.exit(2);
  }
}

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => ok(port));
    });
  });
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

/** One GET on a keep-alive agent; the body is drained and counted, never kept. */
function get(
  agent: http.Agent,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ms: number; bytes: number; status: number }> {
  const started = performance.now();
  return new Promise((ok, fail) => {
    http
      .get(url, { agent, headers }, (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on("end", () => ok({ ms: performance.now() - started, bytes, status: res.statusCode ?? 0 }));
        res.on("error", fail);
      })
      .on("error", fail);
  });
}

interface Stats {
  n: number;
  p50: number;
  p99: number;
  reqPerSec: number;
  mibPerSec: number;
}

async function load(
  makeRequest: (i: number) => { url: string; headers?: Record<string, string> },
  n: number,
  concurrency: number,
  expectStatus: number,
): Promise<Stats> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let bytes = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const { url, headers } = makeRequest(i);
        const r = await get(agent, url, headers);
        if (r.status !== expectStatus) throw new Error(`${url} → ${r.status}, expected ${expectStatus}`);
        latencies.push(r.ms);
        bytes += r.bytes;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { n, p50: pct(50), p99: pct(99), reqPerSec: n / seconds, mibPerSec: bytes / MIB / seconds };
}

function descendants(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) {
    const current = stack.pop() as number;
    let children: number[] = [];
    try {
      for (const task of readdirSync(`/proc/${current}/task`)) {
        const raw = readFileSync(`/proc/${current}/task/${task}/children`, "utf8").trim();
        if (raw) children = children.concat(raw.split(/\s+/).map(Number));
      }
    } catch {
      // gone
    }
    out.push(...children);
    stack.push(...children);
  }
  return out;
}

function workerdPid(root: number): number {
  const pid = descendants(root).find((p) => {
    try {
      return readFileSync(`/proc/${p}/comm`, "utf8").trim() === "workerd";
    } catch {
      return false;
    }
  });
  if (!pid) throw new Error("workerd process not found under wrangler dev");
  return pid;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : 0;
}

/** Peak RSS of `pid` while `work` runs (sampled every 20 ms). */
async function peakRss(pid: number, work: () => Promise<unknown>): Promise<{ before: number; peak: number }> {
  const before = rssMiB(pid);
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid));
  }, 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { before, peak: Math.max(peak, rssMiB(pid)) };
}

function signedQuery(key: string): string {
  const exp = Math.floor(Date.now() / 1000) + 3000;
  const sig = createHmac("sha256", SECRET).update(`GET\n${key}\n${exp}`).digest("base64url");
  return `?exp=${exp}&sig=${sig}`;
}

function writeObject(dir: string, name: string, size: number): string {
  const path = join(dir, name);
  const buffer = Buffer.alloc(size);
  const block = randomBytes(MIB);
  for (let offset = 0; offset < size; offset += MIB) block.copy(buffer, offset, 0, Math.min(MIB, size - offset));
  writeFileSync(path, buffer, { mode: 0o644 });
  return path;
}

async function main() {
  const nginxBin = findNginx();
  const work = mkdtempSync(join(tmpdir(), "ql-media-bench-"));
  const www = join(work, "www");
  const persist = join(work, "state");
  mkdirSync(www);
  // nginx workers run unprivileged (www-data): let them traverse the temp dir.
  chmodSync(work, 0o755);
  chmodSync(www, 0o755);
  const files = { small: writeObject(www, "obj-1m.bin", MIB), large: writeObject(www, "obj-64m.bin", 64 * MIB) };
  const keys = {
    publicSmall: `${WS}/public/benchpub1m/obj-1m.bin`,
    publicLarge: `${WS}/public/benchpub64m/obj-64m.bin`,
    privateSmall: `${WS}/private/benchprv1m/obj-1m.bin`,
    privateLarge: `${WS}/private/benchprv64m/obj-64m.bin`,
  };
  const config = join(ROOT, "workers/media/wrangler.toml");
  const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "true" };
  console.log("seeding local R2 …");
  for (const [name, key] of Object.entries(keys)) {
    const file = name.endsWith("Small") ? files.small : files.large;
    execFileSync(
      "npx",
      [
        "wrangler",
        "r2",
        "object",
        "put",
        `questline-media/${key}`,
        "--file",
        file,
        "--content-type",
        "application/octet-stream",
        "--local",
        "--persist-to",
        persist,
        "-c",
        config,
      ],
      { cwd: ROOT, env, stdio: "ignore" },
    );
  }

  const nginxPort = await freePort();
  const workerPort = await freePort();
  const nginxConf = join(work, "nginx.conf");
  writeFileSync(
    nginxConf,
    `worker_processes 1;
pid ${work}/nginx.pid;
error_log ${work}/nginx-error.log;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path ${work}/nginx-body; proxy_temp_path ${work}/nginx-proxy; fastcgi_temp_path ${work}/nginx-fcgi;
  uwsgi_temp_path ${work}/nginx-uwsgi; scgi_temp_path ${work}/nginx-scgi;
  server { listen 127.0.0.1:${nginxPort}; root ${www}; location / { add_header Cache-Control "public, max-age=31536000, immutable"; } }
}
`,
  );
  const processes: ChildProcess[] = [];
  const stopAll = () => {
    for (const p of processes) if (p.pid && p.exitCode === null) process.kill(-p.pid, "SIGTERM");
  };
  process.on("exit", stopAll);
  try {
    processes.push(spawn(nginxBin, ["-c", nginxConf, "-p", work], { detached: true, stdio: "ignore" }));
    const wrangler = spawn(
      "npx",
      [
        "wrangler",
        "dev",
        "-c",
        config,
        "--ip",
        "127.0.0.1",
        "--port",
        String(workerPort),
        "--persist-to",
        persist,
        "--var",
        `MEDIA_SIGNING_SECRET:${SECRET}`,
        "--var",
        "AWS_ACCESS_KEY_ID:unused",
        "--var",
        "AWS_SECRET_ACCESS_KEY:unused",
        "--log-level",
        "error",
        "--show-interactive-dev-session=false",
      ],
      { cwd: ROOT, env, detached: true, stdio: ["ignore", "ignore", "inherit"] },
    );
    processes.push(wrangler);
    await waitFor(`http://127.0.0.1:${nginxPort}/obj-1m.bin`);
    await waitFor(`http://127.0.0.1:${workerPort}/files/${keys.publicSmall}`);
    const pid = workerdPid(wrangler.pid as number);

    const worker = `http://127.0.0.1:${workerPort}/files/`;
    const nginx = `http://127.0.0.1:${nginxPort}/`;
    const rangeHeaders = (i: number) => {
      const start = ((i * 7919) % 1023) * 64 * 1024;
      return { range: `bytes=${start}-${start + 64 * 1024 - 1}` };
    };
    // Warm the public objects into the Cache API.
    for (const key of [keys.publicSmall, keys.publicLarge]) {
      for (let i = 0; i < 3; i++) await load(() => ({ url: worker + key }), 1, 1, 200);
      await new Promise((r) => setTimeout(r, 1500));
      const probe = await fetch(worker + key);
      await probe.arrayBuffer();
      console.log(
        `${key}: Cache API ${probe.headers.get("x-media-cache") === "hit" ? "hit" : "MISS (public rows measure R2)"}`,
      );
    }

    const scenarios = [
      {
        name: "GET 1 MiB",
        n: N_1M,
        c: CONCURRENCY,
        nginx: () => ({ url: `${nginx}obj-1m.bin` }),
        pub: () => ({ url: worker + keys.publicSmall }),
        priv: () => ({ url: worker + keys.privateSmall + signedQuery(keys.privateSmall) }),
        status: 200,
      },
      {
        name: "GET 64 MiB",
        n: N_64M,
        c: Math.min(CONCURRENCY, 4),
        nginx: () => ({ url: `${nginx}obj-64m.bin` }),
        pub: () => ({ url: worker + keys.publicLarge }),
        priv: () => ({ url: worker + keys.privateLarge + signedQuery(keys.privateLarge) }),
        status: 200,
      },
      {
        name: "Range 64 KiB of 64 MiB",
        n: N_RANGE,
        c: CONCURRENCY,
        nginx: (i: number) => ({ url: `${nginx}obj-64m.bin`, headers: rangeHeaders(i) }),
        pub: (i: number) => ({ url: worker + keys.publicLarge, headers: rangeHeaders(i) }),
        priv: (i: number) => ({
          url: worker + keys.privateLarge + signedQuery(keys.privateLarge),
          headers: rangeHeaders(i),
        }),
        status: 206,
      },
    ];
    const rows: string[] = [];
    const fmt = (s: Stats) =>
      `${s.mibPerSec.toFixed(1).padStart(8)} MiB/s ${s.reqPerSec.toFixed(1).padStart(8)} req/s  p50 ${s.p50.toFixed(2).padStart(8)} ms  p99 ${s.p99.toFixed(2).padStart(8)} ms`;
    for (const s of scenarios) {
      const base = await load(s.nginx, s.n, s.c, s.status);
      const pub = await load(s.pub, s.n, s.c, s.status);
      const priv = await load(s.priv, s.n, s.c, s.status);
      rows.push(`${s.name}  (n=${s.n}, concurrency=${s.c})`);
      rows.push(`  nginx (disk)                ${fmt(base)}`);
      rows.push(
        `  worker public (Cache API)   ${fmt(pub)}   throughput ×${(pub.mibPerSec / base.mibPerSec).toFixed(3)}  p50 ×${(pub.p50 / base.p50).toFixed(1)}  p99 ×${(pub.p99 / base.p99).toFixed(1)}`,
      );
      rows.push(
        `  worker private (R2, signed) ${fmt(priv)}   throughput ×${(priv.mibPerSec / base.mibPerSec).toFixed(3)}  p50 ×${(priv.p50 / base.p50).toFixed(1)}  p99 ×${(priv.p99 / base.p99).toFixed(1)}`,
      );
      console.log(rows.slice(-4).join("\n"));
    }

    const memory = async (key: string) =>
      peakRss(pid, () => load(() => ({ url: worker + key + signedQuery(key) }), 16, 16, 200));
    const mem1 = await memory(keys.privateSmall);
    const mem64 = await memory(keys.privateLarge);
    const memPub64 = await peakRss(pid, () => load(() => ({ url: worker + keys.publicLarge }), 16, 16, 200));
    rows.push("Peak RSS of workerd, 16 concurrent clients (R2 path unless noted)");
    rows.push(
      `  1 MiB objects:                before ${mem1.before.toFixed(0)} MiB, peak ${mem1.peak.toFixed(0)} MiB (+${(mem1.peak - mem1.before).toFixed(0)})`,
    );
    rows.push(
      `  64 MiB objects:               before ${mem64.before.toFixed(0)} MiB, peak ${mem64.peak.toFixed(0)} MiB (+${(mem64.peak - mem64.before).toFixed(0)})`,
    );
    rows.push(
      `  64 MiB objects, Cache API:    before ${memPub64.before.toFixed(0)} MiB, peak ${memPub64.peak.toFixed(0)} MiB (+${(memPub64.peak - memPub64.before).toFixed(0)})`,
    );
    rows.push(`  (16 × 64 MiB = 1024 MiB delivered concurrently; buffering would show as ~1 GiB of growth)`);
    console.log(rows.slice(-5).join("\n"));

    const resultsDir = join(ROOT, "bench/results");
    mkdirSync(resultsDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    writeFileSync(join(resultsDir, `media-${stamp}.txt`), `${rows.join("\n")}\n`);
    console.log(`\nwritten to bench/results/media-${stamp}.txt`);
  } finally {
    stopAll();
    if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
  }
}

await main();
