import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "aws-core",
    environment: "node",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup-env.ts"],
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
