import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";

/** The shared edge code's own tests, in workerd (the Cache API is real); no worker, no bindings. */
export default defineProject({
  plugins: [cloudflareTest({ miniflare: { compatibilityDate: "2026-10-01" } })],
  test: { name: "edge", include: ["src/**/*.test.ts"] },
});
