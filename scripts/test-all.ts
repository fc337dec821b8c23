/**
 * `npm test`: every test of the monorepo. Unit and integration projects (contracts, the
 * workers in workerd, aws-core against DynamoDB Local + redis-server, infra with Pulumi
 * mocks) run first in one vitest process; the end-to-end project, which starts the whole
 * local stack, runs after them on its own so it does not compete for the two cores.
 * Extra arguments are passed to vitest (e.g. `npm test -- --project aws-core`).
 *
 * A green run prints only vitest's summaries and the totals line (the `minimal` reporter, and
 * `silent: "passed-only"` in the root vitest config); a failing test shows its error and what
 * it logged. Give `--reporter=…` to choose another reporter. `npm test` runs scripts/setup.mjs
 * first (npm dependencies, OS prerequisites).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

interface VitestJson {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
}

mkdirSync(".local", { recursive: true });
const extra = process.argv.slice(2);
const reporter = extra.some((arg) => arg.startsWith("--reporter")) ? [] : ["--reporter=minimal"];
const phases: { name: string; args: string[] }[] = extra.length
  ? [{ name: "selected", args: extra }]
  : [
      { name: "unit+integration", args: ["--project", "!e2e"] },
      ...(existsSync("e2e/vitest.config.ts") ? [{ name: "e2e", args: ["--project", "e2e"] }] : []),
    ];

const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;
for (const phase of phases) {
  const out = `.local/test-results-${phase.name.replace(/\W+/g, "-")}.json`;
  rmSync(out, { force: true });
  console.log(`\n▶ ${phase.name}: vitest run ${phase.args.join(" ")}`);
  const run = spawnSync(
    "npx",
    ["vitest", "run", ...reporter, "--reporter=json", `--outputFile.json=${out}`, ...phase.args],
    { stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" } },
  );
  if (!existsSync(out)) {
    console.error(`✗ ${phase.name}: vitest produced no results (exit ${run.status})`);
    ok = false;
    totals.failed += 1;
    continue;
  }
  const result = JSON.parse(readFileSync(out, "utf8")) as VitestJson;
  totals.passed += result.numPassedTests;
  totals.failed += result.numFailedTests;
  totals.skipped += result.numPendingTests + result.numTodoTests;
  if (run.status !== 0 || !result.success) ok = false;
}

console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (totals.passed === 0) {
  console.error("no test ran");
  ok = false;
}
process.exit(ok ? 0 : 1);
