import { resourceRoutes } from "../records/resource-routes";
import { rewardRuleResource } from "./model";

/** `/dashboard/reward-rules`: CRUD + publish. */
export function rewardRuleRoutes() {
  return resourceRoutes(rewardRuleResource);
}
