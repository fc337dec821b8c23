/**
 * Bundles every Cloudflare worker with `wrangler deploy --dry-run` (offline) and reports raw
 * and gzip sizes. Exits non-zero if any worker's gzip size exceeds 1 MiB (the Workers free
 * plan limit, and our budget).
 *
 *   npx tsx scripts/bundle-size.ts            # all three workers
 *   npx tsx scripts/bundle-size.ts --json     # also print a JSON summary (for CI annotations)
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { buildWorkerBundle } from "@questline/infra-pulumi/worker-bundle";

const GZIP_LIMIT_BYTES = 1024 * 1024;
const WORKERS = [
  { name: "questline-api", config: "wrangler.toml" },
  { name: "questline-media", config: "workers/media/wrangler.toml" },
  { name: "questline-indexer", config: "workers/indexer/wrangler.toml" },
] as const;

interface WorkerSize {
  name: string;
  rawBytes: number;
  gzipBytes: number;
  withinLimit: boolean;
}

function measureWorker(repoRoot: string, worker: (typeof WORKERS)[number], workDir: string): WorkerSize {
  // Absolute out dir: a relative --outdir together with -c lands in the wrong folder.
  const bundle = buildWorkerBundle(repoRoot, worker.config, path.join(workDir, worker.name));
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of bundle.files) {
    const content = readFileSync(path.join(bundle.outDir, file.name));
    rawBytes += content.byteLength;
    gzipBytes += gzipSync(content, { level: 9 }).byteLength;
  }
  return { name: worker.name, rawBytes, gzipBytes, withinLimit: gzipBytes <= GZIP_LIMIT_BYTES };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function printTable(sizes: WorkerSize[]): void {
  const rows = [
    ["worker", "raw", "gzip", "limit (gzip)", "status"],
    ...sizes.map((s) => [
      s.name,
      kib(s.rawBytes),
      kib(s.gzipBytes),
      kib(GZIP_LIMIT_BYTES),
      s.withinLimit ? "ok" : "TOO LARGE",
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  "));
    if (index === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}

function main(): number {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const workDir = mkdtempSync(path.join(tmpdir(), "questline-bundle-size-"));
  try {
    const sizes: WorkerSize[] = [];
    for (const worker of WORKERS) {
      try {
        sizes.push(measureWorker(repoRoot, worker, workDir));
      } catch (error) {
        console.error(`${worker.name}: wrangler deploy --dry-run failed: ${(error as Error).message}`);
        return 2;
      }
    }
    printTable(sizes);
    if (process.argv.includes("--json")) console.log(JSON.stringify(sizes));
    const tooLarge = sizes.filter((s) => !s.withinLimit);
    for (const s of tooLarge)
      console.error(`${s.name}: gzip size ${kib(s.gzipBytes)} exceeds ${kib(GZIP_LIMIT_BYTES)}`);
    return tooLarge.length > 0 ? 1 : 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

process.exitCode = main();
