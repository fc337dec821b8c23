import {
  createLearningPathSchema,
  newId,
  paginationQuerySchema,
  QuestlineError,
  updateLearningPathSchema,
} from "@questline/contracts";
import { Hono } from "hono";
import { entityRef } from "../../db/keys";
import { deleteVersioned, listVersioned, putNewVersioned, requireVersioned, updateVersioned } from "../../db/versioned";
import { assertReferencesExist } from "../../engine/references";
import type { CoreEnv } from "../../http/env";
import { requireWriter } from "../../http/guards";
import { readJson, readQuery } from "../../http/validation";
import { itemReferences } from "../item-references";
import { liveStructureWrites, structureChanged } from "../live-structure";
import {
  applyLearningPathUpdate,
  type LearningPathData,
  learningPathContent,
  newLearningPathData,
  toLearningPath,
} from "./model";

/** `If-Match: "<version>"` (optional) pins the version a write applies to. */
function expectedVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) {
    throw new QuestlineError("request.validation_failed", "If-Match must be a version number", {
      details: [{ path: "if-match", message: 'expected a version such as "3"' }],
    });
  }
  return Number(match[1]);
}

/** `/dashboard/learning-paths` (reference: dashboard learningPaths/create, list, get, update, publish). */
export function learningPathRoutes() {
  const routes = new Hono<CoreEnv>();

  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, createLearningPathSchema);
    const id = input.learningPathId ?? newId();
    const now = new Date();
    const data = newLearningPathData(id, input, identity, now.toISOString());
    await assertReferencesExist(itemReferences(identity.workspaceId, data.items));
    const item = await putNewVersioned(
      entityRef(identity, "learningPath", id),
      learningPathContent(data),
      now,
      liveStructureWrites(identity.workspaceId, "learningPath", id),
    );
    structureChanged(identity.workspaceId);
    return c.json(toLearningPath(item), 201);
  });

  routes.get("/", async (c) => {
    const { limit, nextToken } = readQuery(c, paginationQuerySchema);
    const page = await listVersioned<LearningPathData>(c.get("identity"), "learningPath", { limit, nextToken });
    return c.json({ items: page.items.map(toLearningPath), ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
  });

  routes.get("/:learningPathId", async (c) => {
    const ref = entityRef(c.get("identity"), "learningPath", c.req.param("learningPathId"));
    return c.json(toLearningPath(await requireVersioned<LearningPathData>(ref)));
  });

  routes.put("/:learningPathId", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, updateLearningPathSchema);
    const ref = entityRef(identity, "learningPath", c.req.param("learningPathId"));
    await assertReferencesExist(itemReferences(identity.workspaceId, input.items));
    const item = await updateVersioned<LearningPathData>(
      ref,
      expectedVersion(c.req.header("if-match")),
      (current) => learningPathContent(applyLearningPathUpdate(current.data, input)),
      new Date(),
      liveStructureWrites(identity.workspaceId, "learningPath", ref.entityId),
    );
    structureChanged(identity.workspaceId);
    return c.json(toLearningPath(item));
  });

  routes.post("/:learningPathId/publish", async (c) => {
    const identity = requireWriter(c);
    const ref = entityRef(identity, "learningPath", c.req.param("learningPathId"));
    const item = await updateVersioned<LearningPathData>(
      ref,
      expectedVersion(c.req.header("if-match")),
      (current, next) => {
        if (current.data.state !== "DRAFT") {
          throw new QuestlineError(
            "resource.invalid_state",
            `Only a DRAFT learning path can be published (it is ${current.data.state})`,
          );
        }
        return learningPathContent({ ...current.data, state: "PUBLISHED", publishedAt: next.updatedAt });
      },
      new Date(),
      liveStructureWrites(identity.workspaceId, "learningPath", ref.entityId),
    );
    structureChanged(identity.workspaceId);
    return c.json(toLearningPath(item));
  });

  routes.delete("/:learningPathId", async (c) => {
    const identity = requireWriter(c);
    const ref = entityRef(identity, "learningPath", c.req.param("learningPathId"));
    await deleteVersioned(
      ref,
      expectedVersion(c.req.header("if-match")),
      liveStructureWrites(identity.workspaceId, "learningPath", ref.entityId),
    );
    structureChanged(identity.workspaceId);
    return c.body(null, 204);
  });

  return routes;
}
