import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      INDEXER_ACCESS_KEY_ID: string;
      INDEXER_SECRET_ACCESS_KEY: string;
    }
  }
}
