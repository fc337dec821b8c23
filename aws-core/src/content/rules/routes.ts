import { resourceRoutes } from "../../records/resource-routes";
import { learningPathRuleResource } from "./model";

/** `/dashboard/learning-path-rules` (reference: dashboard `learningPathRules/*`): CRUD + publish. */
export function learningPathRuleRoutes() {
  return resourceRoutes(learningPathRuleResource);
}
