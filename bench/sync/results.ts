import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";

/** Writes a benchmark result to bench/results/ (git-ignored) with the machine it ran on. */
export function writeResult(name: string, data: unknown): void {
  const dir = fileURLToPath(new URL("../results/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${name}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
  writeFileSync(
    file,
    JSON.stringify({ name, at: new Date().toISOString(), cpus: cpus().length, node: process.version, data }, null, 2),
  );
  console.log(`result written to ${file}`);
}
