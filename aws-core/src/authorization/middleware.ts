import { QuestlineError } from "@questline/contracts";
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { CoreEnv } from "../http/env";
import type { RecordKind } from "../records/kinds";
import { getRecord } from "../records/store";
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

/** The versioned records by their dashboard collection (the path segment after `/dashboard`). */
const RECORD_COLLECTIONS: Record<string, RecordKind> = {
  activities: "activity",
  "virtual-currencies": "virtualCurrency",
  "badge-configurations": "badgeConfiguration",
  "mission-configurations": "missionConfiguration",
  "learning-paths": "learningPath",
  "learning-groups": "learningGroup",
  quizzes: "quiz",
  slides: "slide",
  media: "media",
  tags: "tag",
  "reward-rules": "rewardRule",
  "mission-rules": "missionRule",
  "streak-configurations": "streakConfiguration",
  "streak-rules": "streakRule",
  "learning-path-rules": "learningPathRule",
};

/** The lifecycle of the one record a dashboard route names (`/dashboard/<collection>/:id…`), if any. */
async function recordState(workspaceId: string, template: string, path: string): Promise<string | undefined> {
  const [, context, collection, param] = template.split("/");
  const kind = collection ? RECORD_COLLECTIONS[collection] : undefined;
  if (context !== "dashboard" || !kind || !param?.startsWith(":")) return undefined;
  const id = path.split("/")[3];
  if (!id) return undefined;
  const record = await getRecord<{ state?: unknown }>({ workspaceId, kind, id: decodeURIComponent(id) });
  return typeof record?.data.state === "string" ? record.data.state : undefined;
}

/**
 * Every request to an `/app` or `/dashboard` route is a Cedar authorization request, decided
 * before the body is read: the principal is the verified identity (with its roles), the
 * action the route's operation, the resource what the path names (its kind, for user data
 * whose, and — when the workspace's policies read it — the named record's lifecycle `state`). The default policies plus the workspace's own decide; a deny is a 403
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
    // Only a workspace whose policies read the lifecycle pays the record's read.
    const state = policies.readsState ? await recordState(identity.workspaceId, route.path, path) : undefined;
    const resource = {
      id: path,
      kind: resourceKindOf(route.path),
      ...(owner ? { owner } : {}),
      ...(state ? { state } : {}),
    };
    const decision = engine.authorize({ identity, action, resource }, policies);
    if (!decision.allowed) {
      c.get("logger")?.info("authorization denied", { action: action.id, policies: decision.policies });
      throw new QuestlineError("auth.forbidden", `Not permitted: ${action.id}`);
    }
    await next();
  };
}
