import type { MediaSecrets } from "../../src/env";

// Secrets reach tests through vitest.config.ts bindings (`wrangler types` cannot see them).
declare global {
  namespace Cloudflare {
    interface Env extends MediaSecrets {
      /** "1": contract violations are reported, not failed (the pending-list audit). */
      CONTRACT_AUDIT: string;
      /** A rate limiter with a limit of 10 per minute, swapped in by the rate-limit tests. */
      TEST_TIGHT_RATE_LIMITER: RateLimit;
    }
  }
}
