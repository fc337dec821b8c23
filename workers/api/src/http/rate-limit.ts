import { QuestlineError } from "@questline/contracts";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env";

/**
 * Per-workspace and per-user budgets (Workers rate-limiting bindings, configured per
 * environment in wrangler.toml). Runs after authentication: the keys come from the verified
 * identity. M2M calls without a delegated user count against their client id.
 */
export function rateLimit(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const identity = c.var.identity;
    const subject = identity.userId ?? identity.externalUserId ?? `client:${identity.clientId ?? "-"}`;
    const [workspace, user] = await Promise.all([
      c.env.WORKSPACE_RATE_LIMITER.limit({ key: identity.workspaceId }),
      c.env.USER_RATE_LIMITER.limit({ key: `${identity.workspaceId}:${subject}` }),
    ]);
    if (!workspace.success || !user.success) {
      throw new QuestlineError("request.rate_limited", "Too many requests; retry later", {
        headers: { "retry-after": c.env.RATE_LIMIT_PERIOD_SECONDS ?? "60" },
        cause: workspace.success ? "user limit" : "workspace limit",
      });
    }
    await next();
  };
}
