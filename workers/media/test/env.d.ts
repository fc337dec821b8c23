import type { MediaSecrets } from "../src/env";

// Secrets reach tests through vitest.config.ts bindings; the main module types `exports.default`.
declare global {
  namespace Cloudflare {
    interface Env extends MediaSecrets {}
    interface GlobalProps {
      mainModule: typeof import("../src/index");
    }
  }
}
