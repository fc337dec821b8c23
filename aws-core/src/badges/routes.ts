import { QuestlineError } from "@questline/contracts";
import { Hono } from "hono";
import type { CoreEnv } from "../http/env";
import { loadLiveConfig } from "../records/live";
import { resourceRoutes } from "../records/resource-routes";
import { actingUserId } from "../users/acting-user";
import { listBadgeLogs, listBadges } from "./award";
import { type BadgeConfigurationData, badgeConfigurationResource } from "./model";

export function badgeConfigurationRoutes() {
  return resourceRoutes(badgeConfigurationResource);
}

/** `/app/badges`: the user's badges (count, first/last assignment), `?fields=badgeLogs` adds the award log. */
export function badgeAppRoutes() {
  const routes = new Hono<CoreEnv>();
  const decorate = async (ws: string, userId: string, badge: Record<string, unknown>, withLogs: boolean) => {
    const config = (await loadLiveConfig(ws)).badgeConfiguration.get(badge.badgeConfigurationId as string);
    const data = config?.data as BadgeConfigurationData | undefined;
    const translation = data?.translations.find((t) => t.lang === data.defaultLang);
    return {
      ...badge,
      ...(translation ? { translation: { lang: translation.lang, label: translation.label } } : {}),
      ...(data ? { image: data.image } : {}),
      ...(withLogs ? { badgeLogs: await listBadgeLogs(ws, userId, badge.badgeConfigurationId as string) } : {}),
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
