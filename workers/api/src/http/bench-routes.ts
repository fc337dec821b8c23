import type { OpenAPIHono } from "@hono/zod-openapi";
import { QuestlineError } from "@questline/contracts";
import type { AppEnv } from "../env";

/**
 * Baseline for bench/catalog-search: the same search as `/app/catalog/search` done with
 * `LIKE '%term%'`. Only answers when `BENCH_ROUTES = "1"` (set by the bench, never deployed).
 */
export function registerBenchRoutes(app: OpenAPIHono<AppEnv>): void {
  app.get("/app/__bench/like-search", async (c) => {
    if ((c.env as { BENCH_ROUTES?: string }).BENCH_ROUTES !== "1") {
      throw new QuestlineError("resource.not_found", "Not found");
    }
    const term = `%${(c.req.query("q") ?? "").replace(/[%_]/g, "")}%`;
    const { results } = await c.env.DB.prepare(
      `SELECT t.item_type, t.item_id, t.title FROM catalog_texts t
       JOIN catalog_items i ON i.workspace_id = t.workspace_id AND i.item_type = t.item_type AND i.item_id = t.item_id
       WHERE t.workspace_id = ? AND i.deleted = 0 AND i.state = 'PUBLISHED' AND t.lang = i.default_lang
         AND (t.title LIKE ? OR t.description LIKE ? OR t.body LIKE ?)
       ORDER BY t.rowid LIMIT 20`,
    )
      .bind(c.var.identity.workspaceId, term, term, term)
      .all();
    return c.json({ items: results });
  });
}
