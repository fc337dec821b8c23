import { z } from "@hono/zod-openapi";
import type { CatalogItemType } from "@questline/contracts";
import { documentedRouter, documentOperation, pageSchema } from "../../http/openapi";
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
  const routes = documentedRouter();
  documentOperation(routes, {
    method: "get",
    path: "/:learningGroupId/items",
    operationId: "app/learningGroups/listItems",
    tag: "Learning Groups",
    summary: "A published group's items in order, each with its published content",
    query: z.object({ lang: z.string().max(35).optional() }),
    responses: {
      200: {
        description: "The items (one page)",
        schema: pageSchema(
          z
            .object({
              itemId: z.string(),
              itemType: z.string(),
              itemData: z
                .record(z.string(), z.unknown())
                .optional()
                .openapi({ description: "The item as the app sees it; absent while it is not published" }),
            })
            .openapi("LearningGroupItem"),
        ),
      },
    },
  });

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
