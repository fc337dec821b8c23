import type { EdgeCoreBindings, EdgeEnv } from "@questline/edge";

/** `wrangler types` bindings plus the secrets (never in wrangler.toml). */
export type ApiBindings = Env &
  EdgeCoreBindings & {
    AWS_ACCESS_KEY_ID: string;
    AWS_SECRET_ACCESS_KEY: string;
    COGNITO_WORKSPACE_CLIENT_IDS?: string;
    /** Must match the rate limiters' `simple.period`; sent as `Retry-After` on 429. */
    RATE_LIMIT_PERIOD_SECONDS?: string;
  };

export type AppEnv = EdgeEnv<ApiBindings>;

/** Secrets without which the worker cannot work: the SigV4 key pair `signedForward` signs with. */
export const REQUIRED_BINDINGS = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
] as const satisfies readonly (keyof ApiBindings)[];
