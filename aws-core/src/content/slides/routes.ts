import { z } from "@hono/zod-openapi";
import { submitSlideSchema } from "@questline/contracts";
import { documentedRouter, documentOperation } from "../../http/openapi";
import { readJson } from "../../http/validation";
import { recordRef } from "../../records/kinds";
import { resourceRoutes } from "../../records/resource-routes";
import { actingUserId } from "../../users/acting-user";
import { requirePublished, toAppView } from "../app-view";
import { submitLearningItem, submitResponseSchema, toSubmitResponse } from "../progress/submit";
import { type SlideData, slideResource } from "./model";

/** `/dashboard/slides`: CRUD + publish (reference: dashboard `slides/*`). */
export function slideDashboardRoutes() {
  return resourceRoutes(slideResource);
}

/** `/app/slides`: a published slide, and `submit` (START / IN_PROGRESS / COMPLETE). */
export function slideAppRoutes() {
  const routes = documentedRouter();
  documentOperation(routes, {
    method: "post",
    path: "/:slideId/submit",
    operationId: "app/slides/submit",
    tag: "Slides",
    actingUser: true,
    summary: "Submit the user's view of a published slide (once per `x-idempotency-key`)",
    headers: z.object({
      "x-idempotency-key": z
        .string()
        .max(128)
        .optional()
        .openapi({ description: "Repeating a key returns the first submission" }),
    }),
    body: submitSlideSchema,
    responses: { 200: { description: "The submission", schema: submitResponseSchema("slideId", "SlideSubmission") } },
    writes: true,
  });

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
