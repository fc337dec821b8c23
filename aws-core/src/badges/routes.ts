import { z } from "@hono/zod-openapi";
import { QuestlineError } from "@questline/contracts";
import { documentedRouter, documentOperation, fieldsQuery, pageSchema } from "../http/openapi";
import { loadLiveConfig } from "../records/live";
import { resourceRoutes } from "../records/resource-routes";
import { actingUserId } from "../users/acting-user";
import { badgeItemSchema, badgeLogItemSchema, listBadgeLogs, listBadges } from "./award";
import { type BadgeConfigurationData, badgeConfigurationResource } from "./model";

export function badgeConfigurationRoutes() {
  return resourceRoutes(badgeConfigurationResource);
}

/** `/app/badges`: the user's badges (count, first/last assignment), `?fields=badgeLogs` adds the award log. */
const badgeSchema = badgeItemSchema
  .extend({
    translation: z.object({ lang: z.string(), label: z.string() }).optional(),
    image: z.string().optional().openapi({ description: "The badge configuration's image (a media id)" }),
    badgeLogs: z.array(badgeLogItemSchema.openapi("BadgeLog")).optional(),
  })
  .openapi("Badge");
const badgeQuery = z.object({ fields: fieldsQuery(["translation", "badgeLogs"]) });

export function badgeAppRoutes() {
  const routes = documentedRouter();
  documentOperation(routes, {
    method: "get",
    path: "/",
    operationId: "app/badges/list",
    tag: "Badges",
    actingUser: true,
    summary: "List the badges the user has earned (one page); `fields=badgeLogs` adds each award",
    query: badgeQuery,
    responses: { 200: { description: "The user's badges", schema: pageSchema(badgeSchema) } },
  });
  documentOperation(routes, {
    method: "get",
    path: "/:badgeConfigurationId",
    operationId: "app/badges/get",
    tag: "Badges",
    actingUser: true,
    summary: "Get an earned badge with its award log",
    query: badgeQuery,
    responses: { 200: { description: "The badge", schema: badgeSchema } },
  });
  const decorate = async (ws: string, userId: string, badge: z.infer<typeof badgeItemSchema>, withLogs: boolean) => {
    const config = (await loadLiveConfig(ws)).badgeConfiguration.get(badge.badgeConfigurationId);
    const data = config?.data as BadgeConfigurationData | undefined;
    const translation = data?.translations.find((t) => t.lang === data.defaultLang);
    return {
      ...badge,
      ...(translation ? { translation: { lang: translation.lang, label: translation.label } } : {}),
      ...(data ? { image: data.image } : {}),
      ...(withLogs ? { badgeLogs: await listBadgeLogs(ws, userId, badge.badgeConfigurationId) } : {}),
    };
  };
  routes.get("/", async (c) => {
    const userId = await actingUserId(c);
    const ws = c.get("identity").workspaceId;
    const withLogs = (c.req.queries("fields") ?? []).some((f) => f.split(",").includes("badgeLogs"));
    const badges = await listBadges(ws, userId);
    return c.json({ items: await Promise.all(badges.map((b) => decorate(ws, userId, b, withLogs))), nextToken: null });
  });
  routes.get("/:badgeConfigurationId", async (c) => {
    const userId = await actingUserId(c);
    const ws = c.get("identity").workspaceId;
    const badge = (await listBadges(ws, userId)).find(
      (b) => b.badgeConfigurationId === c.req.param("badgeConfigurationId"),
    );
    if (!badge)
      throw new QuestlineError("resource.not_found", `badge ${c.req.param("badgeConfigurationId")} not earned`);
    return c.json(await decorate(ws, userId, badge, true));
  });
  return routes;
}
