import { catalogItems, catalogTexts } from "@questline/catalog-schema";
import type { CatalogItemType, ContentState } from "@questline/contracts";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { decodeCursor, encodeCursor } from "./cursor";

type ItemRow = typeof catalogItems.$inferSelect;
type TextRow = typeof catalogTexts.$inferSelect;

export interface BrowseScope {
  workspaceId: string;
  itemType: CatalogItemType;
  states: readonly ContentState[];
  /** Language to show: that text when present, else the item's default language. */
  lang?: string;
}

/** A catalog entity as the browse endpoints return it: payload fields plus localized text. */
export type CatalogEntity = Record<string, unknown>;

/** Localizes one item: the requested language, else the default language, else any text. */
export function localize(item: ItemRow, texts: TextRow[], lang: string | undefined, idField: string): CatalogEntity {
  const chosen =
    texts.find((t) => t.lang === lang) ?? texts.find((t) => t.lang === item.defaultLang) ?? texts[0] ?? undefined;
  return {
    ...item.payload,
    [idField]: item.itemId,
    origin: item.origin,
    state: item.state,
    defaultLang: item.defaultLang,
    langs: [...new Set(texts.map((t) => t.lang))].sort(),
    lang: chosen?.lang ?? item.defaultLang,
    title: chosen?.title ?? "",
    description: chosen?.description ?? "",
    tags: item.tags,
    mediaRefs: item.mediaRefs,
    version: item.version,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

function visible(scope: BrowseScope) {
  return and(
    eq(catalogItems.workspaceId, scope.workspaceId),
    eq(catalogItems.itemType, scope.itemType),
    eq(catalogItems.deleted, 0),
    inArray(catalogItems.state, [...scope.states]),
  );
}

async function textsFor(db: DrizzleD1Database, scope: BrowseScope, ids: string[]): Promise<Map<string, TextRow[]>> {
  const byItem = new Map<string, TextRow[]>();
  if (ids.length === 0) return byItem;
  const rows = await db
    .select()
    .from(catalogTexts)
    .where(
      and(
        eq(catalogTexts.workspaceId, scope.workspaceId),
        eq(catalogTexts.itemType, scope.itemType),
        inArray(catalogTexts.itemId, ids),
      ),
    );
  for (const row of rows) byItem.set(row.itemId, [...(byItem.get(row.itemId) ?? []), row]);
  return byItem;
}

/** One page of a type's items in id order (keyset on item_id; stable under inserts). */
export async function listCatalogItems(
  db: DrizzleD1Database,
  scope: BrowseScope,
  idField: string,
  limit: number,
  nextToken?: string,
): Promise<{ items: CatalogEntity[]; nextToken: string | null }> {
  let afterId: string | undefined;
  if (nextToken) {
    const raw = decodeCursor(nextToken, "nextToken");
    if (typeof raw.a !== "string" || raw.t !== scope.itemType) decodeCursor("!", "nextToken");
    afterId = raw.a as string;
  }
  const rows = await db
    .select()
    .from(catalogItems)
    .where(afterId === undefined ? visible(scope) : and(visible(scope), gt(catalogItems.itemId, afterId)))
    .orderBy(asc(catalogItems.itemId))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const texts = await textsFor(
    db,
    scope,
    page.map((r) => r.itemId),
  );
  const last = page.at(-1);
  return {
    items: page.map((item) => localize(item, texts.get(item.itemId) ?? [], scope.lang, idField)),
    nextToken: rows.length > limit && last ? encodeCursor({ t: scope.itemType, a: last.itemId }) : null,
  };
}

/** One item, or null when it does not exist in this workspace (or is not visible to the caller). */
export async function getCatalogItem(
  db: DrizzleD1Database,
  scope: BrowseScope,
  idField: string,
  itemId: string,
): Promise<CatalogEntity | null> {
  const [item] = await db
    .select()
    .from(catalogItems)
    .where(and(visible(scope), eq(catalogItems.itemId, itemId)))
    .limit(1);
  if (!item) return null;
  const texts = await textsFor(db, scope, [item.itemId]);
  return localize(item, texts.get(item.itemId) ?? [], scope.lang, idField);
}
