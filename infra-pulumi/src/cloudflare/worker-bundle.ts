import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import * as path from "node:path";

export interface WorkerBundle {
  /** Absolute folder wrangler wrote the bundle to. */
  outDir: string;
  /** File name of the entry module inside outDir (e.g. index.js). */
  mainModule: string;
  /** Every emitted file except source maps, with its size in bytes. */
  files: { name: string; bytes: number }[];
}

/**
 * Bundles a worker exactly as `wrangler deploy` would (`wrangler deploy --dry-run`), offline.
 * The out dir must be absolute: a relative --outdir together with -c lands in the wrong folder.
 */
export function buildWorkerBundle(repoRoot: string, wranglerConfig: string, outDir: string): WorkerBundle {
  if (!path.isAbsolute(outDir)) throw new Error(`outDir must be absolute, got ${outDir}`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  execFileSync(
    "npx",
    [
      "--no-install",
      "wrangler",
      "deploy",
      "--dry-run",
      "--outdir",
      outDir,
      "-c",
      path.resolve(repoRoot, wranglerConfig),
    ],
    {
      cwd: repoRoot,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    },
  );
  const files = readdirSync(outDir)
    .filter((name) => !name.endsWith(".map") && statSync(path.join(outDir, name)).isFile())
    .map((name) => ({ name, bytes: statSync(path.join(outDir, name)).size }));
  const modules = files.filter((f) => f.name.endsWith(".js") || f.name.endsWith(".mjs"));
  const main = modules.length === 1 ? modules[0] : modules.find((f) => f.name === "index.js");
  if (!main)
    throw new Error(`cannot tell the entry module of ${wranglerConfig} among ${files.map((f) => f.name).join(", ")}`);
  return { outDir, mainModule: main.name, files };
}
