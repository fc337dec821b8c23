import { Hono } from "hono";
import { z } from "zod";
import type { CoreEnv } from "../http/env";
import { readJson, readQuery } from "../http/validation";
import { resourceRoutes } from "../records/resource-routes";
import { actingUserId } from "../users/acting-user";
import { createActivityLogSchema, getActivityLog, listActivityLogs, logActivity } from "./logs";
import { activityResource } from "./model";

/** `/dashboard/activities`: CRUD + publish. */
export function activityDashboardRoutes() {
  return resourceRoutes(activityResource);
}

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  nextToken: z.string().max(2048).optional(),
  order: z.enum(["asc", "desc"]).default("desc"),
  sort: z.enum(["updatedAt"]).optional(),
});

/** `/app/activity-logs`: report (applied exactly once), list, get. */
export function activityLogAppRoutes() {
  const routes = new Hono<CoreEnv>();
  routes.post("/", async (c) => {
    const userId = await actingUserId(c);
    const input = await readJson(c, createActivityLogSchema);
    const { log, replayed } = await logActivity(c.get("events"), c.get("identity").workspaceId, userId, input);
    if (replayed) c.header("x-activity-log-replayed", "true");
    return c.json(log, 200);
  });
  routes.get("/", async (c) => {
    const userId = await actingUserId(c);
    const query = readQuery(c, listQuery);
    return c.json(await listActivityLogs(c.get("identity").workspaceId, userId, query));
  });
  routes.get("/:activityLogId", async (c) => {
    const userId = await actingUserId(c);
    return c.json(await getActivityLog(c.get("identity").workspaceId, userId, c.req.param("activityLogId")));
  });
  return routes;
}
