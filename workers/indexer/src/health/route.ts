import { Hono } from "hono";
import type { AppEnv } from "../env";

interface LagRow {
  key: string;
  lastChangedAt: number;
  lastAppliedAt: number;
  lastLagMs: number;
}

/**
 * `GET /health` — liveness plus the latest stream lag (apply time − DynamoDB change time of the
 * newest change in the last stream batch). `?workspace=<id>` adds that workspace's figures.
 * Reveals no item data, so it needs no signature.
 */
export const healthRoute = new Hono<AppEnv>().get("/", async (c) => {
  const workspace = c.req.query("workspace");
  const keys = workspace ? ["stream", `stream:${workspace}`] : ["stream"];
  const { results } = await c.env.DB.prepare(
    `SELECT key, last_changed_at AS lastChangedAt, last_applied_at AS lastAppliedAt, last_lag_ms AS lastLagMs
     FROM indexer_stats WHERE key IN (SELECT value FROM json_each(?1))`,
  )
    .bind(JSON.stringify(keys))
    .all<LagRow>();
  const byKey = new Map(results.map((row) => [row.key, row]));
  const lag = (key: string) => {
    const row = byKey.get(key);
    return row
      ? { lastChangedAt: row.lastChangedAt, lastAppliedAt: row.lastAppliedAt, lastLagMs: row.lastLagMs }
      : null;
  };
  return c.json({
    status: "ok",
    lag: lag("stream"),
    ...(workspace ? { workspace: { workspaceId: workspace, lag: lag(`stream:${workspace}`) } } : {}),
  });
});
