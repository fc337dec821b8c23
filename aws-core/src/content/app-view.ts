import { type CatalogItemType, QuestlineError } from "@questline/contracts";
import type { WorkspaceScope } from "../db/keys";
import { type RecordRef, recordRef } from "../records/kinds";
import { type CatalogRecord, getCatalogRecord } from "../records/store";

/**
 * What app users see of a catalog item: exactly what the edge's D1 browse endpoints answer
 * (`workers/api/src/catalog/browse.ts` `localize`): the catalog payload plus the localized
 * title/description. Built from the catalog document, so nothing outside it (a quiz's correct
 * answer) can leak.
 */
export function toAppView(idField: string, item: CatalogRecord<unknown>, lang?: string): Record<string, unknown> {
  const doc = item.catalog;
  const chosen =
    doc.texts.find((t) => t.lang === lang) ?? doc.texts.find((t) => t.lang === doc.defaultLang) ?? doc.texts[0];
  return {
    ...doc.payload,
    [idField]: item.id,
    origin: doc.origin,
    state: doc.state,
    defaultLang: doc.defaultLang,
    langs: [...new Set(doc.texts.map((t) => t.lang))].sort(),
    lang: chosen?.lang ?? doc.defaultLang,
    title: chosen?.title ?? "",
    description: chosen?.description ?? "",
    tags: doc.tags,
    mediaRefs: doc.mediaRefs,
    version: item.version,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

/** A published item of the caller's workspace; a draft, archived or missing item is 404 for app users. */
export async function requirePublished<T>(ref: RecordRef): Promise<CatalogRecord<T>> {
  const item = await getCatalogRecord<T>(ref);
  if (item?.catalog.state !== "PUBLISHED") {
    throw new QuestlineError("resource.not_found", `${ref.kind} ${ref.id} not found`);
  }
  return item;
}

export const ID_FIELD: Partial<Record<CatalogItemType, string>> = {
  learningPath: "learningPathId",
  learningGroup: "learningGroupId",
  quiz: "quizId",
  slide: "slideId",
  activity: "activityId",
};

/** The app view of an item referenced from a path or group, or null when it is not published. */
export async function publishedItemView(
  scope: WorkspaceScope,
  itemType: CatalogItemType,
  itemId: string,
  lang?: string,
): Promise<Record<string, unknown> | null> {
  const item = await getCatalogRecord(recordRef(scope, itemType, itemId));
  if (item?.catalog.state !== "PUBLISHED") return null;
  return toAppView(ID_FIELD[itemType] ?? "itemId", item, lang);
}
