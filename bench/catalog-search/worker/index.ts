/**
 * The api worker as bench/catalog-search runs it (`wrangler dev -c
 * bench/catalog-search/worker/wrangler.toml`): the production app from `createApp()` plus the
 * LIKE baseline `GET /app/__bench/like-search?q=…`, mounted behind the same auth and rate
 * limits as every /app route. Never deployed: the production entry is workers/api/src/index.ts.
 */
import { createApp, type RegisterRoutes } from "@questline/worker-api/app";
import { LIKE_PAGE_SQL, likePattern } from "../like-sql";

const registerLikeSearch: RegisterRoutes = (app) => {
  app.get("/app/__bench/like-search", async (c) => {
    const pattern = likePattern(c.req.query("q") ?? "");
    const { results } = await c.env.DB.prepare(LIKE_PAGE_SQL)
      .bind(c.var.identity.workspaceId, pattern, pattern, pattern)
      .all();
    return c.json({ items: results });
  });
};

export default createApp({ extraRoutes: [registerLikeSearch] });
