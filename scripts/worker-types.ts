/**
 * Worker types come from `wrangler types` and are committed, in two parts:
 * - the workerd runtime types, once for every worker: `packages/edge/worker-runtime.d.ts`
 *   (`--include-env=false`). They depend only on wrangler's workerd version and the
 *   compatibility date and flags, so every worker's config must produce this very file;
 * - each worker's `Env` (its wrangler config's bindings and vars):
 *   `workers/<name>/worker-configuration.d.ts` (`--include-runtime=false`).
 * Each worker's tsconfig lists both (`@questline/edge/worker-runtime` and its own file).
 * `write` regenerates them; `check` fails when a committed file has drifted from a config.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const RUNTIME_TYPES = "packages/edge/worker-runtime.d.ts";
export const WORKERS = [
  { name: "api", config: "wrangler.toml", types: "workers/api/worker-configuration.d.ts" },
  { name: "media", config: "workers/media/wrangler.toml", types: "workers/media/worker-configuration.d.ts" },
  { name: "indexer", config: "workers/indexer/wrangler.toml", types: "workers/indexer/worker-configuration.d.ts" },
] as const;

interface Outcome {
  ok: boolean;
  line: string;
  detail?: string;
}

function wranglerTypes(args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("npx", ["wrangler", "types", ...args], {
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (status) => resolve({ status, output }));
  });
}

const tail = (output: string) => output.trim().split("\n").slice(-5).join("\n");

/** A worker's `Env` file: written, or checked with wrangler's own `--check`. */
async function envTypes(worker: (typeof WORKERS)[number], mode: "check" | "write"): Promise<Outcome> {
  const args = [worker.types, "-c", worker.config, "--include-runtime=false", ...(mode === "check" ? ["--check"] : [])];
  const { status, output } = await wranglerTypes(args);
  const done = mode === "check" ? "is up to date" : "written";
  if (status === 0) return { ok: true, line: `✓ ${worker.name}: ${worker.types} ${done}` };
  return {
    ok: false,
    line: `✗ ${worker.name}: ${worker.types} is out of date with ${worker.config} (run \`npm run types\`)`,
    detail: tail(output),
  };
}

/** The runtime types this worker's config produces must be the shared file, byte for byte. */
async function runtimeTypes(worker: (typeof WORKERS)[number], scratch: string): Promise<Outcome> {
  const generated = path.join(scratch, `${worker.name}-runtime.d.ts`);
  const { status, output } = await wranglerTypes([generated, "-c", worker.config, "--include-env=false"]);
  if (status !== 0) return { ok: false, line: `✗ ${worker.name}: wrangler types failed`, detail: tail(output) };
  let committed = "";
  try {
    committed = readFileSync(RUNTIME_TYPES, "utf8");
  } catch {
    // missing counts as drift
  }
  if (readFileSync(generated, "utf8") === committed) {
    return { ok: true, line: `✓ ${worker.name}: runtime types are ${RUNTIME_TYPES}` };
  }
  return {
    ok: false,
    line: `✗ ${worker.name}: ${worker.config} yields other runtime types than ${RUNTIME_TYPES} (run \`npm run types\`; every worker needs the same compatibility_date and compatibility_flags)`,
  };
}

async function main(mode: "check" | "write"): Promise<boolean> {
  const scratch = mkdtempSync(path.join(tmpdir(), "questline-worker-types-"));
  try {
    if (mode === "write") {
      const [first] = WORKERS;
      const { status, output } = await wranglerTypes([RUNTIME_TYPES, "-c", first.config, "--include-env=false"]);
      if (status !== 0) {
        console.error(`✗ ${RUNTIME_TYPES}: wrangler types failed\n${tail(output)}`);
        return false;
      }
      console.log(`✓ ${RUNTIME_TYPES} written (from ${first.config})`);
    }
    const outcomes = await Promise.all(
      WORKERS.flatMap((worker) => [envTypes(worker, mode), runtimeTypes(worker, scratch)]),
    );
    for (const outcome of outcomes) {
      if (outcome.ok) console.log(outcome.line);
      else console.error(outcome.detail ? `${outcome.line}\n${outcome.detail}` : outcome.line);
    }
    return outcomes.every((outcome) => outcome.ok);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const mode = process.argv[2] ?? "check";
if (mode !== "check" && mode !== "write") {
  console.error("usage: worker-types.ts check|write");
  process.exit(2);
}
process.exit((await main(mode)) ? 0 : 1);
