import type { CatalogItemType } from "@questline/contracts";
import { Hono } from "hono";
import type { CoreEnv } from "../../http/env";
import { recordRef } from "../../records/kinds";
import { resourceRoutes } from "../../records/resource-routes";
import { actingUserId } from "../../users/acting-user";
import { publishedItemView, requirePublished, toAppView } from "../app-view";
import { getProgress, progressView } from "../progress/store";
import { type LearningGroupData, learningGroupResource } from "./model";

const VIEWABLE: readonly string[] = ["learningGroup", "quiz", "slide", "activity", "learningPath"];

/** `/dashboard/learning-groups`: CRUD + publish (reference: dashboard `learningGroups/*`). */
export function learningGroupDashboardRoutes() {
  return resourceRoutes(learningGroupResource);
}

/**
 * `/app/learning-groups`: a published group (with the user's `progress`) and its items, each
 * with `itemData` (the item's app view; absent when the item is not published).
 */
export function learningGroupAppRoutes() {
  const routes = new Hono<CoreEnv>();

  routes.get("/:learningGroupId", async (c) => {
    const identity = c.get("identity");
    const item = await requirePublished<LearningGroupData>(
      recordRef(identity, "learningGroup", c.req.param("learningGroupId")),
    );
    const view = toAppView("learningGroupId", item, c.req.query("lang"));
    if (!identity.userId && !identity.externalUserId) return c.json(view);
    const userId = await actingUserId(c);
    const record = await getProgress(identity.workspaceId, userId, "learningGroup", item.id, 1);
    return c.json({ ...view, progress: progressView(record, item.data.items) });
  });

  routes.get("/:learningGroupId/items", async (c) => {
    const identity = c.get("identity");
    const group = await requirePublished<LearningGroupData>(
      recordRef(identity, "learningGroup", c.req.param("learningGroupId")),
    );
    const lang = c.req.query("lang");
    const items = await Promise.all(
      group.data.items.map(async (ref) => {
        const itemData = VIEWABLE.includes(ref.itemType)
          ? await publishedItemView(identity, ref.itemType as CatalogItemType, ref.itemId, lang)
          : null;
        return { itemId: ref.itemId, itemType: ref.itemType, ...(itemData ? { itemData } : {}) };
      }),
    );
    return c.json({ items, nextToken: null });
  });

  return routes;
}
