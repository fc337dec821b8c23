import type { Context } from "hono";
import type { AppEnv } from "../env";

const CACHE_HOST = "https://catalog-cache.questline.internal";

async function strongEtag(body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  const hex = [...new Uint8Array(digest).slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `"${hex}"`;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, "");
    return tag === "*" || tag === etag;
  });
}

/**
 * The workspace's catalog generation: when the indexer last applied a batch for it
 * (`indexer_stats`, key `stream:<workspaceId>`). It is part of the cache key, so every
 * applied change invalidates the workspace's cached catalog reads at once (read-your-writes
 * for admins, no stale search results for up to a TTL) at the cost of one primary-key read.
 */
async function catalogGeneration(c: Context<AppEnv>, workspaceId: string): Promise<number> {
  const row = await c.env.DB.prepare("SELECT last_applied_at AS generation FROM indexer_stats WHERE key = ?1")
    .bind(`stream:${workspaceId}`)
    .first<{ generation: number }>();
  return row?.generation ?? 0;
}

/**
 * Serves a catalog read with an ETag (304 on a matching `If-None-Match`) and a short edge
 * cache. The cache key carries the workspace, its catalog generation, the token context and
 * the language, so an entry can never be served to another workspace nor outlive a change.
 */
export async function cachedCatalogResponse(
  c: Context<AppEnv>,
  lang: string | undefined,
  compute: () => Promise<unknown>,
): Promise<Response> {
  const identity = c.var.identity;
  const url = new URL(c.req.url);
  url.searchParams.sort();
  const ttl = Number(c.env.CATALOG_CACHE_TTL_SECONDS ?? "0");
  const cache = ttl > 0 ? await caches.open("questline-catalog") : undefined;
  const generation = cache ? await catalogGeneration(c, identity.workspaceId) : 0;
  const key = `${CACHE_HOST}/${encodeURIComponent(identity.workspaceId)}/g${generation}/${identity.context}/${encodeURIComponent(
    lang ?? "-",
  )}${url.pathname}?${url.searchParams.toString()}`;

  let body: string | undefined;
  let etag: string | undefined;
  const hit = await cache?.match(key);
  if (hit) {
    body = await hit.text();
    etag = hit.headers.get("etag") ?? undefined;
  }
  if (body === undefined || etag === undefined) {
    body = JSON.stringify(await compute());
    etag = await strongEtag(body);
    if (cache) {
      const entry = new Response(body, { headers: { etag, "cache-control": `max-age=${ttl}` } });
      c.executionCtx.waitUntil(cache.put(key, entry));
    }
  }

  const headers = {
    etag,
    "cache-control": "private, max-age=0, must-revalidate",
    vary: "Authorization, Accept-Language",
  };
  if (etagMatches(c.req.header("if-none-match"), etag)) return c.body(null, 304, headers);
  return c.body(body, 200, { ...headers, "content-type": "application/json; charset=utf-8" });
}
