import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { freePort, type ManagedProcess, startProcess, waitForPort } from "@questline/local";
import { REPO_ROOT } from "./paths";

export interface WorkerSpec {
  name: "api" | "media" | "indexer";
  /** Wrangler config, relative to the repo root. */
  config: string;
  port: number;
  vars: Record<string, string>;
  /** Own `--persist-to` directory for a worker that shares no storage with the others. */
  persistTo?: string;
}

export interface WranglerSettings {
  /** `--persist-to` directory shared by all workers (D1 and R2 state). */
  persistTo: string;
  /** Per-stack dev registry, so parallel stacks (tests) never bind to each other's workers. */
  registryPath: string;
  logPath: string;
  onOutput?: (worker: string, line: string) => void;
}

/** Environment for wrangler: offline, no metrics, Node 24 from node_modules/.bin first on PATH. */
export function wranglerEnv(settings: WranglerSettings): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: [join(REPO_ROOT, "node_modules", ".bin"), process.env.PATH ?? ""].join(delimiter),
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_REGISTRY_PATH: settings.registryPath,
    WRANGLER_LOG_PATH: settings.logPath,
    CI: "true",
    NO_COLOR: "1",
  };
}

const WRANGLER_BIN = join(REPO_ROOT, "node_modules", ".bin", "wrangler");

/** Applies the D1 migrations to the local database shared by the api and indexer workers. */
export async function applyD1Migrations(settings: WranglerSettings): Promise<void> {
  const args = [
    "d1",
    "migrations",
    "apply",
    "questline-catalog",
    "--local",
    "--persist-to",
    settings.persistTo,
    "-c",
    "wrangler.toml",
  ];
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(WRANGLER_BIN, args, {
      cwd: REPO_ROOT,
      env: wranglerEnv(settings),
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (c: Buffer) => output.push(c.toString()));
    child.stderr.on("data", (c: Buffer) => output.push(c.toString()));
    child.once("error", reject);
    child.once("exit", resolve);
  });
  if (code !== 0) throw new Error(`wrangler d1 migrations apply failed (exit ${code}):\n${output.join("")}`);
}

/**
 * While other engineers write the workers, a missing entry point gets a trivial placeholder so
 * `wrangler dev` can start (never committed from here).
 */
export function ensureWorkerEntryPoints(specs: WorkerSpec[]): string[] {
  const created: string[] = [];
  for (const spec of specs) {
    const entry = join(REPO_ROOT, "workers", spec.name, "src", "index.ts");
    if (existsSync(entry)) continue;
    mkdirSync(dirname(entry), { recursive: true });
    writeFileSync(entry, 'export default { fetch() { return new Response("ok"); } };\n');
    created.push(entry);
  }
  return created;
}

/** Starts one `wrangler dev` process for a worker on 127.0.0.1 and waits until it listens. */
export async function startWorker(spec: WorkerSpec, settings: WranglerSettings): Promise<ManagedProcess> {
  const args = [
    "dev",
    "-c",
    spec.config,
    "--ip",
    "127.0.0.1",
    "--port",
    String(spec.port),
    "--inspector-port",
    String(await freePort()),
    "--persist-to",
    spec.persistTo ?? settings.persistTo,
    "--show-interactive-dev-session=false",
    "--log-level",
    "log",
  ];
  for (const [name, value] of Object.entries(spec.vars)) args.push("--var", `${name}:${value}`);
  // wrangler's proxy accepts connections before workerd is up; "Ready on" means requests are served.
  const recent: string[] = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const proc = startProcess(`wrangler:${spec.name}`, WRANGLER_BIN, args, {
    cwd: REPO_ROOT,
    env: wranglerEnv(settings),
    onOutput: (line) => {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      if (/Ready on http/.test(line)) markReady();
      settings.onOutput?.(spec.name, line);
    },
  });
  const exited = new Promise<never>((_, reject) =>
    proc.child.once("exit", (code) =>
      reject(new Error(`wrangler dev for ${spec.name} exited early (code ${code}):\n${recent.join("\n")}`)),
    ),
  );
  exited.catch(() => {});
  try {
    await Promise.race([
      Promise.all([waitForPort(spec.port, 180_000), withTimeout(ready, 180_000, spec.name)]),
      exited,
    ]);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return proc;
}

function withTimeout(promise: Promise<void>, ms: number, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`wrangler dev for ${name} was not ready within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
