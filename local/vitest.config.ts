import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "local",
    environment: "node",
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    // The stream processor's tests start their own DynamoDB Local (a JVM).
    hookTimeout: 90_000,
  },
});
