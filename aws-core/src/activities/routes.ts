import { z } from "zod";
import { documentedRouter, documentOperation, pageSchema } from "../http/openapi";
import { readJson, readQuery } from "../http/validation";
import { resourceRoutes } from "../records/resource-routes";
import { actingUserId } from "../users/acting-user";
import { activityLogSchema, createActivityLogSchema, getActivityLog, listActivityLogs, logActivity } from "./logs";
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
  const routes = documentedRouter();
  const tag = "ActivityLogs";
  documentOperation(routes, {
    method: "post",
    path: "/",
    operationId: "app/activityLogs/create",
    tag,
    actingUser: true,
    summary: "Report an activity of the user (applied exactly once per activityLogId)",
    description:
      "Missions, reward rules, streaks, leaderboards and learning progress react to it. Sending the same `activityLogId` again returns the stored log with `x-activity-log-replayed: true`.",
    body: createActivityLogSchema,
    responses: { 200: { description: "The activity log, applied", schema: activityLogSchema } },
    writes: true,
  });
  documentOperation(routes, {
    method: "get",
    path: "/",
    operationId: "app/activityLogs/list",
    tag,
    actingUser: true,
    summary: "List the user's activity logs, newest first",
    query: listQuery,
    responses: { 200: { description: "A page of activity logs", schema: pageSchema(activityLogSchema) } },
  });
  documentOperation(routes, {
    method: "get",
    path: "/:activityLogId",
    operationId: "app/activityLogs/get",
    tag,
    actingUser: true,
    summary: "Get one of the user's activity logs",
    responses: { 200: { description: "The activity log", schema: activityLogSchema } },
  });
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
