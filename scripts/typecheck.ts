/** Type-checks every workspace package (each has its own tsconfig.json) plus the root scripts. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const PROJECTS = [
  "tsconfig.json",
  "packages/contracts/tsconfig.json",
  "packages/edge/tsconfig.json",
  "packages/contract-testing/tsconfig.json",
  "packages/client/tsconfig.json",
  "workers/api/tsconfig.json",
  "workers/media/tsconfig.json",
  "workers/indexer/tsconfig.json",
  "bench/catalog-search/worker/tsconfig.json",
  "aws-core/tsconfig.json",
  "local/tsconfig.json",
  "infra-pulumi/tsconfig.json",
  "e2e/tsconfig.json",
];

let failed = 0;
for (const project of PROJECTS) {
  if (!existsSync(project)) continue;
  const result = spawnSync("npx", ["tsc", "-p", project], { stdio: "inherit" });
  if (result.status === 0) console.log(`✓ ${project}`);
  else {
    failed++;
    console.error(`✗ ${project}`);
  }
}
process.exit(failed ? 1 : 0);
