import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineProject } from "vitest/config";

export default defineProject(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "../../drizzle/migrations"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        // workerd's internal diagnostics (e.g. on reset()) off the console; test logs: silent "passed-only".
        verbose: false,
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            INDEXER_ACCESS_KEY_ID: "test-indexer-key",
            INDEXER_SECRET_ACCESS_KEY: "test-indexer-secret",
          },
        },
      }),
    ],
    test: {
      name: "worker-indexer",
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      setupFiles: ["./test/support/setup.ts"],
    },
  };
});
