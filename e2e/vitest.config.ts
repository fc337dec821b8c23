import { defineProject } from "vitest/config";

// The end-to-end project starts the whole local stack once (workers under wrangler dev,
// DynamoDB Local, redis-server, the token issuer, the SigV4 gateway, the stream processor).
export default defineProject({
  test: {
    name: "e2e",
    environment: "node",
    include: ["**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    // The core's Lambda handlers run in the test process: with POWERTOOLS_DEV their Powertools
    // logs go through console.log, so vitest shows them only for a failing test (silent:
    // "passed-only"). The stack's service output goes to .local/e2e-stack.log (stack-log.ts).
    env: { POWERTOOLS_DEV: "true" },
  },
});
