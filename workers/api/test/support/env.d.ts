declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    TEST_SIGNING_JWK: string;
    /** A rate limiter with a limit of 10 per minute, swapped in by the flood tests. */
    TEST_TIGHT_RATE_LIMITER: RateLimit;
    /** "1": contract violations are reported, not failed (the pending-list audit). */
    CONTRACT_AUDIT: string;
  }
}
