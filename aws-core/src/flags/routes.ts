import { z } from "@hono/zod-openapi";
import { coreConfig } from "../config";
import { documentedRouter, documentOperation } from "../http/openapi";
import { FLAG_CATALOG, FLAG_NAMES } from "./catalog";
import { loadFlags } from "./reader";

const flagsSchema = z
  .object({
    workspaceId: z.string(),
    flags: z.object(Object.fromEntries(FLAG_NAMES.map((name) => [name, z.boolean()]))).openapi({
      description: "Every flag of the catalog, on or off for this workspace",
      example: Object.fromEntries(FLAG_NAMES.map((name) => [name, FLAG_CATALOG[name].default.enabled])),
    }),
    maxAgeSeconds: z.number().int().nonnegative().openapi({
      description: "How long the answer may be reused (the core's own cache time of the flags document)",
      example: 30,
    }),
  })
  .openapi("WorkspaceFeatureFlags");

/**
 * `GET /app/flags` and `GET /dashboard/flags`: the feature flags evaluated for the caller's
 * workspace (from the token), so apps, the admin UI and the edge learn what is on with one read.
 */
export function flagRoutes(context: "app" | "dashboard") {
  const routes = documentedRouter();
  documentOperation(routes, {
    tag: "FeatureFlags",
    method: "get",
    path: "/",
    operationId: `${context}/flags/get`,
    summary: "The feature flags as they are for the caller's workspace",
    description:
      "Flags roll out gradually (a stable share of workspaces) and per workspace (allow and deny lists); the list of flags is in docs/feature-flags.md.",
    responses: { 200: { description: "Evaluated flags", schema: flagsSchema } },
  });
  routes.get("/", async (c) => {
    const { workspaceId } = c.get("identity");
    const flags = await loadFlags();
    const maxAgeSeconds = coreConfig().flagsMaxAgeSeconds;
    c.header("cache-control", `private, max-age=${maxAgeSeconds}`);
    return c.json({ workspaceId, flags: flags.forWorkspace(workspaceId), maxAgeSeconds });
  });
  return routes;
}
