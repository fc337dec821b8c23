import { entityIdSchema, newId } from "@questline/contracts";
import { Hono } from "hono";
import { z } from "zod";
import type { CoreEnv } from "../../http/env";
import { requireWriter } from "../../http/guards";
import { readJson } from "../../http/validation";
import { recordRef } from "../../records/kinds";
import { toResourceView } from "../../records/resource-routes";
import { createRecord, requireRecord } from "../../records/store";
import { type LearningPathData, learningPathContent } from "./model";

/**
 * The reference clones from a catalog workspace (`catalogWorkspaceId`); ours copies a path of
 * the caller's own workspace (another workspace's path is a missing item, 404). The body is
 * optional: `learningPathId` chooses the copy's id.
 */
const cloneSchema = z.strictObject({ learningPathId: entityIdSchema.optional() });

/** `POST /dashboard/learning-paths/{id}/clone` → 201, a new DRAFT copy (items, rules, texts, tags). */
export function learningPathCloneRoutes() {
  const routes = new Hono<CoreEnv>();
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
    return c.json(toResourceView("learningPathId", item), 201);
  });
  return routes;
}
