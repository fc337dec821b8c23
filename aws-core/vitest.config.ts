import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "aws-core",
    environment: "node",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup-env.ts"],
    testTimeout: 30_000,
    // expect.poll is a deadline for eventually-true facts (streams, background work), not a
    // timing assertion: give it room on a loaded 2-core machine.
    expect: { poll: { timeout: 20_000, interval: 100 } },
    hookTimeout: 90_000,
  },
});
