import type { CatalogItemType } from "@questline/contracts";
import { type Reference, recordReference } from "../records/references";

/** Item types that name an entity the workspace stores (others, e.g. `game`, are not checked). */
const STORED: Partial<Record<string, CatalogItemType>> = {
  activity: "activity",
  quiz: "quiz",
  slide: "slide",
  learningGroup: "learningGroup",
};

/** The references of a path's or group's `items` (checked together: one BatchGetItem). */
export function itemReferences(
  workspaceId: string,
  items: readonly { itemId: string; itemType: string }[] | undefined,
): Reference[] {
  const refs: Reference[] = [];
  for (const [i, item] of (items ?? []).entries()) {
    const type = STORED[item.itemType];
    if (type) refs.push(recordReference(workspaceId, `items.${i}.itemId`, type, item.itemId, item.itemType));
  }
  return refs;
}
