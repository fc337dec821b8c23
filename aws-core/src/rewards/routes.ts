import { configRoutes } from "../engine/config-routes";
import { rewardRuleResource } from "./model";

/** `/dashboard/reward-rules`: CRUD + publish. */
export function rewardRuleRoutes() {
  return configRoutes(rewardRuleResource);
}
