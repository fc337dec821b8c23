import {
  type CreateLearningPathInput,
  createLearningPathSchema,
  type UpdateLearningPathInput,
  updateLearningPathSchema,
} from "@questline/contracts";
import { type ResourceDefinition, resourceRoutes } from "../../records/resource-routes";
import { itemReferences } from "../item-references";
import { liveStructureWrites } from "../live-structure";
import { applyLearningPathUpdate, type LearningPathData, learningPathCatalog, newLearningPathData } from "./model";

export const learningPathResource: ResourceDefinition<
  CreateLearningPathInput,
  UpdateLearningPathInput,
  LearningPathData
> = {
  kind: "learningPath",
  publishing: "immediate",
  idField: "learningPathId",
  api: {
    tag: "Learning Paths",
    operation: "learningPaths",
    noun: "learning path",
    component: "LearningPath",
    fields: ["tags", "translations"],
  },
  createSchema: createLearningPathSchema,
  updateSchema: updateLearningPathSchema,
  create: (input, { id, identity, now }) => newLearningPathData(id, input, identity, now),
  update: applyLearningPathUpdate,
  references: (input, workspaceId) => itemReferences(workspaceId, input.items),
  catalog: learningPathCatalog,
  companions: (workspaceId, id) => liveStructureWrites(workspaceId, "learningPath", id),
};

/** `/dashboard/learning-paths` (reference: dashboard learningPaths/create, list, get, update, publish, delete). */
export function learningPathRoutes() {
  return resourceRoutes(learningPathResource);
}
