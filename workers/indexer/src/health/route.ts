import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { requireSignedRequest } from "../auth/require-signed-request";
import type { AppEnv } from "../env";

interface LagRow {
  key: string;
  lastChangedAt: number;
  lastAppliedAt: number;
  lastLagMs: number;
}

/**
 * `GET /health` — liveness plus the latest stream lag (apply time − DynamoDB change time of the
 * newest change in the last stream batch), open to anyone (it reveals no tenant data).
 * `?workspace=<id>` adds that workspace's figures — when it synced — so it needs the indexer's
 * signature like every other route (401/403 otherwise).
 */
const signedForWorkspace = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.query("workspace") === undefined) return next();
  return requireSignedRequest(c, next);
});

export const healthRoute = new Hono<AppEnv>().get("/", signedForWorkspace, async (c) => {
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
