declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    TEST_SIGNING_JWK: string;
    /** "1": contract violations are reported, not failed (the pending-list audit). */
    CONTRACT_AUDIT: string;
  }
}
