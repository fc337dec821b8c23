import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The edge catalog index (a read model of DynamoDB). Every table and index leads with
 * `workspace_id`; every query filters by it.
 */
export const catalogItems = sqliteTable(
  "catalog_items",
  {
    workspaceId: text("workspace_id").notNull(),
    itemType: text("item_type").notNull(),
    itemId: text("item_id").notNull(),
    /** Monotonic version from DynamoDB; upserts and deletes only apply when newer. */
    version: integer("version").notNull(),
    /** 1 = versioned tombstone: the item was deleted at `version`; a stale upsert cannot resurrect it. */
    deleted: integer("deleted").notNull().default(0),
    state: text("state").notNull(),
    origin: text("origin").notNull(),
    defaultLang: text("default_lang").notNull(),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    mediaRefs: text("media_refs", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    /** When the change was made in DynamoDB (epoch ms). */
    changedAt: integer("changed_at").notNull(),
    /** When the indexer applied it (epoch ms). */
    indexedAt: integer("indexed_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.itemType, t.itemId] }),
    index("catalog_items_ws_state_updated").on(t.workspaceId, t.state, t.updatedAt),
    index("catalog_items_ws_type_state").on(t.workspaceId, t.itemType, t.state),
    /**
     * Covers the search filters (`deleted`, `state`, `default_lang`) by item key, so checking a
     * full-text hit against them is one index probe instead of index + table row (payload and all).
     */
    index("catalog_items_search_filter").on(t.workspaceId, t.itemType, t.itemId, t.deleted, t.state, t.defaultLang),
  ],
);

/** Per-language text of an item; the FTS5 table `catalog_fts` indexes it (external content). */
export const catalogTexts = sqliteTable(
  "catalog_texts",
  {
    rowid: integer("rowid").primaryKey({ autoIncrement: true }),
    workspaceId: text("workspace_id").notNull(),
    itemType: text("item_type").notNull(),
    itemId: text("item_id").notNull(),
    lang: text("lang").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    body: text("body").notNull().default(""),
    /**
     * The workspace as one FTS token (`w` + hex of the id), so a search is
     * `ws_token:<token> AND (<query>)` and never walks another workspace's postings.
     */
    wsToken: text("ws_token").generatedAlwaysAs(sql`'w' || lower(hex(workspace_id))`, { mode: "virtual" }),
  },
  (t) => [
    index("catalog_texts_ws_item_lang").on(t.workspaceId, t.itemType, t.itemId, t.lang),
    /**
     * The item key of a text by rowid, narrow (no title/description/body): facet counts walk
     * every full-text hit through it (`INDEXED BY` in `workers/api/src/catalog/search-sql.ts`),
     * ~2× faster than reading the table rows.
     */
    index("catalog_texts_key_by_rowid").on(t.rowid, t.workspaceId, t.itemType, t.itemId, t.lang),
  ],
);

/**
 * How many `catalog_texts` rows each workspace has; the row with `workspace_id = ''` holds the
 * total. Kept by triggers on `catalog_texts` (migration 0003), so writers need not know it.
 * Search reads it to decide whether scoping the MATCH with `ws_token` pays (see
 * `workers/api/src/catalog/search-sql.ts`).
 */
export const catalogWorkspaceTexts = sqliteTable("catalog_workspace_texts", {
  workspaceId: text("workspace_id").primaryKey(),
  texts: integer("texts").notNull(),
});

/** One row per (item, tag): tag filters and facet counts. */
export const catalogTags = sqliteTable(
  "catalog_tags",
  {
    workspaceId: text("workspace_id").notNull(),
    itemType: text("item_type").notNull(),
    itemId: text("item_id").notNull(),
    tag: text("tag").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.itemType, t.itemId, t.tag] }),
    index("catalog_tags_ws_tag").on(t.workspaceId, t.tag),
  ],
);

/** Latest stream lag the indexer observed, per workspace (for `/health`). */
export const indexerStats = sqliteTable("indexer_stats", {
  key: text("key").primaryKey(),
  lastChangedAt: integer("last_changed_at").notNull(),
  lastAppliedAt: integer("last_applied_at").notNull(),
  lastLagMs: integer("last_lag_ms").notNull(),
});
