import { QuestlineError } from "@questline/contracts";
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { CoreEnv } from "../http/env";
import { type ActionCatalog, resourceKindOf } from "./actions";
import type { CedarEngine } from "./engine";
import { policyCache } from "./store";

/** The route that will answer: the first matched handler that is not a middleware (`use`). */
function answeringRoute(c: Parameters<MiddlewareHandler<CoreEnv>>[0]): { method: string; path: string } | undefined {
  return matchedRoutes(c).find((route) => route.method !== "ALL");
}

/** The value of `:name` in `template` for `path` (same number of segments, by Hono's routing). */
function paramOf(template: string, path: string, name: string): string | undefined {
  const t = template.split("/");
  const index = t.indexOf(`:${name}`);
  if (index < 0) return undefined;
  const value = path.split("/")[index];
  return value ? decodeURIComponent(value) : undefined;
}

/**
 * Every request to an `/app` or `/dashboard` route is a Cedar authorization request, decided
 * before the body is read: the principal is the verified identity (with its roles), the
 * action the route's operation, the resource what the path names (its kind and, for user
 * data, whose). The default policies plus the workspace's own decide; a deny is a 403
 * `auth.forbidden`. Unmatched paths pass on to the 404.
 */
export function authorization(catalog: ActionCatalog, engine: CedarEngine): MiddlewareHandler<CoreEnv> {
  return async (c, next) => {
    const route = answeringRoute(c);
    const action = route ? catalog.actionFor(c.req.method, route.path) : undefined;
    if (!route || !action) return next();
    const identity = c.get("identity");
    const path = c.req.path;
    const owner = path.startsWith("/app/") ? identity.userId : paramOf(route.path, path, "userId");
    const policies = await policyCache.forWorkspace(identity.workspaceId);
    const decision = engine.authorize(
      { identity, action, resource: { id: path, kind: resourceKindOf(route.path), ...(owner ? { owner } : {}) } },
      policies,
    );
    if (!decision.allowed) {
      c.get("logger")?.info("authorization denied", { action: action.id, policies: decision.policies });
      throw new QuestlineError("auth.forbidden", `Not permitted: ${action.id}`);
    }
    await next();
  };
}
