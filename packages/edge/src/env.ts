import type { Identity } from "@questline/contracts";

/** Bindings the auth middleware reads (wrangler.toml [vars]; see packages/edge/README.md). */
export interface EdgeAuthBindings {
  /** Where the Cognito user pool's JWKS is served (the hosted one in production). */
  JWKS_URL: string;
  COGNITO_REGION: string;
  COGNITO_USER_POOL_ID: string;
  /** Comma-separated app client ids whose tokens are accepted. */
  COGNITO_CLIENT_IDS: string;
  /** Optional JSON object `{ "<workspaceId>": ["clientId", …] }` narrowing the allow-list per workspace. */
  COGNITO_WORKSPACE_CLIENT_IDS?: string;
  /** Clock leeway for `exp`/`nbf`, seconds (default 10). */
  JWT_LEEWAY_SECONDS?: string;
  /** Minimum seconds between JWKS refreshes caused by an unknown `kid` (default 30). */
  JWKS_REFRESH_COOLDOWN_SECONDS?: string;
}

/** Bindings `signedForward` reads through `coreConfigFromEnv`. */
export interface EdgeCoreBindings {
  CORE_URL: string;
  CORE_REGION: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_SESSION_TOKEN?: string;
  /** Per-forward timeout, milliseconds (default 8000). */
  CORE_TIMEOUT_MS?: string;
}

export interface EdgeVariables {
  requestId: string;
  /** Set by `requireApp()` / `requireDashboard()`; the workspace comes only from here. */
  identity: Identity;
}

/** The Hono env shape the edge middleware works with; workers extend the bindings. */
export interface EdgeEnv<B extends EdgeAuthBindings = EdgeAuthBindings> {
  Bindings: B;
  Variables: EdgeVariables;
}
