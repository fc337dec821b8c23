import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { CoreEnv } from "../http/env";
import { ActionCatalog, type DocumentedEntry } from "./actions";
import { CedarEngine } from "./engine";
import { authorization } from "./middleware";
import { cedarSchema } from "./schema";

export { ActionCatalog, groupOf } from "./actions";
export { CedarEngine, rolesIncluded } from "./engine";
export { DEFAULT_POLICIES } from "./policies";
export { authorizationRoutes } from "./routes";
export { cedarSchema } from "./schema";

/** The action catalog of a built app: its route table, named by its documented operation ids. */
export function actionCatalogOf(app: OpenAPIHono<CoreEnv>): ActionCatalog {
  const documented: DocumentedEntry[] = [];
  for (const d of app.openAPIRegistry.definitions) {
    if (d.type === "route")
      documented.push({ method: d.route.method, path: d.route.path, operationId: d.route.operationId });
  }
  return new ActionCatalog(app.routes, documented);
}

/**
 * The authorization step of an app: a middleware to mount before the routes, bound to the
 * app's action catalog once the routes are registered (`bind`). Until bound it refuses
 * every request (fail closed).
 */
export function authorizationStep(): {
  middleware: MiddlewareHandler<CoreEnv>;
  bind(app: OpenAPIHono<CoreEnv>): CedarEngine;
} {
  let bound: MiddlewareHandler<CoreEnv> | undefined;
  let engine: CedarEngine | undefined;
  return {
    middleware: async (c, next) => {
      if (!bound || !engine) throw new Error("authorization is not bound to the app's routes");
      c.set("policyValidator", engine);
      return bound(c, next);
    },
    bind(app) {
      const catalog = actionCatalogOf(app);
      engine = engineFor(catalog);
      bound = authorization(catalog, engine);
      return engine;
    },
  };
}

const engines = new Map<string, CedarEngine>();

/** One engine per distinct catalog (apps built from the same routes share the parsed schema). */
function engineFor(catalog: ActionCatalog): CedarEngine {
  const schema = cedarSchema(catalog.actions);
  const key = JSON.stringify(schema);
  let engine = engines.get(key);
  if (!engine) {
    engine = new CedarEngine(schema);
    engines.set(key, engine);
  }
  return engine;
}
