import { defineProject } from "vitest/config";

// Repository-level checks (the dependency rules of `npm run deps`).
export default defineProject({
  test: { name: "repo", environment: "node", include: ["scripts/**/*.test.ts"], root: "..", testTimeout: 60_000 },
});
