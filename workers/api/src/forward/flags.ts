import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { forwardToCore } from "./routes";

const CACHE_HOST = "https://flags-cache.questline.internal";
/** The edge never keeps a workspace's flags longer than this, whatever the core says. */
export const FLAGS_EDGE_CACHE_MAX_SECONDS = 60;

/**
 * `GET /app/flags` and `GET /dashboard/flags` (documented by the core): the core's answer is
 * kept in the Cache API per workspace for the core's own `maxAgeSeconds` (at most 60 s), so
 * apps and the admin UI polling their flags cost the core one request per workspace and cache
 * time per colo. The key is the workspace from the verified token (flags are per workspace, not
 * per user or context); errors are never cached.
 */
export function registerFlagRoutes(app: OpenAPIHono<AppEnv>): void {
  app.get("/app/flags", cachedFlags);
  app.get("/dashboard/flags", cachedFlags);
}

async function cachedFlags(c: Context<AppEnv>): Promise<Response> {
  const cache = await caches.open("questline-flags");
  const key = `${CACHE_HOST}/${encodeURIComponent(c.var.identity.workspaceId)}`;
  const hit = await cache.match(key);
  if (hit) return answer(await hit.text(), hit.headers.get("x-flags-ttl") ?? "0");

  const response = await forwardToCore(c);
  if (response.status !== 200) return response;
  const body = await response.text();
  const ttl = ttlOf(body);
  if (ttl > 0) {
    const entry = new Response(body, {
      headers: { "cache-control": `max-age=${ttl}`, "content-type": "application/json", "x-flags-ttl": String(ttl) },
    });
    c.executionCtx.waitUntil(cache.put(key, entry));
  }
  return answer(body, String(ttl));
}

function ttlOf(body: string): number {
  try {
    const maxAge = (JSON.parse(body) as { maxAgeSeconds?: unknown }).maxAgeSeconds;
    return typeof maxAge === "number" && Number.isFinite(maxAge)
      ? Math.max(0, Math.min(FLAGS_EDGE_CACHE_MAX_SECONDS, Math.floor(maxAge)))
      : 0;
  } catch {
    return 0;
  }
}

function answer(body: string, ttl: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": `private, max-age=${ttl}`,
    },
  });
}
