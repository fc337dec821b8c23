import { resourceRoutes } from "../records/resource-routes";
import { tagResource } from "./model";

/** `/dashboard/tags`: CRUD + publish. */
export function tagRoutes() {
  return resourceRoutes(tagResource);
}
