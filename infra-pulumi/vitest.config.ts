import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "infra-pulumi",
    environment: "node",
    include: ["test/**/*.test.ts"],
    // Importing @pulumi/aws dominates the run; share one module cache across files. Each
    // test file installs fresh mocks (pulumi.runtime.setMocks) before declaring the platform.
    pool: "forks",
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
