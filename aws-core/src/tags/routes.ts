import { configRoutes } from "../engine/config-routes";
import { tagResource } from "./model";

/** `/dashboard/tags`: CRUD + publish. */
export function tagRoutes() {
  return configRoutes(tagResource);
}
