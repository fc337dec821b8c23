import { defineConfig } from "vitest/config";

// Every package keeps its own vitest config; this file lists them as projects so one
// `vitest run` covers the whole monorepo (see scripts/test-all.ts).
export default defineConfig({
  test: {
    // A root-only option (it applies to every project): what a test logs (request logs,
    // service output) is shown only when that test fails.
    silent: "passed-only",
    projects: [
      "packages/*/vitest.config.ts",
      "workers/*/vitest.config.ts",
      "aws-core/vitest*.config.ts",
      "local/vitest*.config.ts",
      "infra-pulumi/vitest*.config.ts",
      "e2e/vitest*.config.ts",
      "scripts/vitest.config.ts",
    ],
  },
});
