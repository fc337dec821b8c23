/**
 * Worker binding types come from `wrangler types` and are committed. `write` regenerates
 * them; `check` fails when a committed file has drifted from its wrangler config.
 */
import { spawnSync } from "node:child_process";

export const WORKERS = [
  { name: "api", config: "wrangler.toml", types: "workers/api/worker-configuration.d.ts" },
  { name: "media", config: "workers/media/wrangler.toml", types: "workers/media/worker-configuration.d.ts" },
  { name: "indexer", config: "workers/indexer/wrangler.toml", types: "workers/indexer/worker-configuration.d.ts" },
] as const;

const mode = process.argv[2] ?? "check";
if (mode !== "check" && mode !== "write") {
  console.error("usage: worker-types.ts check|write");
  process.exit(2);
}

let failed = false;
for (const worker of WORKERS) {
  const args = ["wrangler", "types", worker.types, "-c", worker.config, ...(mode === "check" ? ["--check"] : [])];
  const result = spawnSync("npx", args, {
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  if (result.status !== 0) {
    failed = true;
    console.error(`✗ ${worker.name}: ${worker.types} is out of date with ${worker.config} (run \`npm run types\`)`);
    console.error(`${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-5).join("\n"));
  } else {
    console.log(`✓ ${worker.name}: ${worker.types} ${mode === "check" ? "is up to date" : "written"}`);
  }
}
process.exit(failed ? 1 : 0);
