import { entityIdSchema, newId } from "@questline/contracts";
import { z } from "zod";
import { requireWriter } from "../../http/guards";
import { documentedRouter, documentOperation } from "../../http/openapi";
import { readJson } from "../../http/validation";
import { recordRef } from "../../records/kinds";
import { omittableFields, resourceViewSchema, toResourceView } from "../../records/resource-routes";
import { createRecord, requireRecord } from "../../records/store";
import { type LearningPathData, learningPathContent } from "./model";
import { learningPathResource } from "./routes";

/**
 * The reference clones from a catalog workspace (`catalogWorkspaceId`); ours copies a path of
 * the caller's own workspace (another workspace's path is a missing item, 404). The body is
 * optional: `learningPathId` chooses the copy's id.
 */
const cloneSchema = z.strictObject({ learningPathId: entityIdSchema.optional() });

/** `POST /dashboard/learning-paths/{id}/clone` → 201, a new DRAFT copy (items, rules, texts, tags). */
export function learningPathCloneRoutes() {
  const routes = documentedRouter();
  const { idField, createSchema, api } = learningPathResource;
  documentOperation(routes, {
    method: "post",
    path: "/:learningPathId/clone",
    operationId: "dashboard/learningPaths/clone",
    tag: "Learning Paths",
    summary: "Copy a learning path of this workspace into a new DRAFT (items, rules, texts, tags)",
    body: cloneSchema,
    bodyOptional: true,
    responses: {
      201: { description: "The copy", schema: api ? resourceViewSchema(idField, createSchema, api) : z.object({}) },
    },
    writes: true,
  });
  routes.post("/:learningPathId/clone", async (c) => {
    const identity = requireWriter(c);
    const hasBody = (c.req.header("content-length") ?? "0") !== "0" || c.req.header("content-type") !== undefined;
    const input = hasBody ? await readJson(c, cloneSchema) : {};
    const source = await requireRecord<LearningPathData>(
      recordRef(identity, "learningPath", c.req.param("learningPathId")),
    );
    const id = input.learningPathId ?? newId();
    const { publishedAt: _publishedAt, ...rest } = source.data;
    const copy: LearningPathData = {
      ...rest,
      learningPathId: id,
      state: "DRAFT",
      ...(identity.accountId ? { accountId: identity.accountId } : {}),
    };
    const item = await createRecord(recordRef(identity, "learningPath", id), learningPathContent(copy));
    return c.json(toResourceView("learningPathId", item, undefined, omittableFields(createSchema)), 201);
  });
  return routes;
}
