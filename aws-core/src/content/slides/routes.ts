import { submitSlideSchema } from "@questline/contracts";
import { Hono } from "hono";
import type { CoreEnv } from "../../http/env";
import { readJson } from "../../http/validation";
import { recordRef } from "../../records/kinds";
import { resourceRoutes } from "../../records/resource-routes";
import { actingUserId } from "../../users/acting-user";
import { requirePublished, toAppView } from "../app-view";
import { submitLearningItem, toSubmitResponse } from "../progress/submit";
import { type SlideData, slideResource } from "./model";

/** `/dashboard/slides`: CRUD + publish (reference: dashboard `slides/*`). */
export function slideDashboardRoutes() {
  return resourceRoutes(slideResource);
}

/** `/app/slides`: a published slide, and `submit` (START / IN_PROGRESS / COMPLETE). */
export function slideAppRoutes() {
  const routes = new Hono<CoreEnv>();

  routes.get("/:slideId", async (c) => {
    const item = await requirePublished(recordRef(c.get("identity"), "slide", c.req.param("slideId")));
    return c.json(toAppView("slideId", item, c.req.query("lang")));
  });

  routes.post("/:slideId/submit", async (c) => {
    const identity = c.get("identity");
    const userId = await actingUserId(c);
    const input = await readJson(c, submitSlideSchema);
    const slide = await requirePublished<SlideData>(recordRef(identity, "slide", c.req.param("slideId")));
    const { submission, replayed } = await submitLearningItem(c.get("events"), {
      workspaceId: identity.workspaceId,
      userId,
      accountId: identity.accountId,
      item: slide,
      itemType: "slide",
      progress: input.progress,
      context: input.context,
      lang: input.lang,
      parentId: input.parentId,
      parentType: input.parentType,
      idempotencyKey: c.req.header("x-idempotency-key"),
    });
    if (replayed) c.header("x-submission-replayed", "true");
    return c.json(toSubmitResponse(submission), 200);
  });

  return routes;
}
