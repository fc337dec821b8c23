import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "infra-pulumi",
    environment: "node",
    include: ["test/**/*.test.ts"],
    // Pulumi's mock runtime is process-global state: one file per worker, no isolation sharing.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
