import { defineProject } from "vitest/config";

/** The contract checker's own tests, in Node (the suites that use it run it in workerd too). */
export default defineProject({
  test: { name: "contract-testing", environment: "node", include: ["src/**/*.test.ts"] },
});
