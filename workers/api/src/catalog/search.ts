import type { CatalogItemType, ContentState } from "@questline/contracts";
import { type SQL, sql } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { decodeCursor, encodeCursor, fingerprint } from "./cursor";
import { catalogMatchExpression } from "./fts-query";
import { MARK_CLOSE, MARK_OPEN, markHighlights } from "./highlight";

export interface CatalogSearchParams {
  workspaceId: string;
  q: string;
  types?: CatalogItemType[];
  tag?: string;
  states: readonly ContentState[];
  /** Strict language filter: only texts in this language. */
  lang?: string;
  /** Preferred language without a strict filter: that text, else the item's default-language text. */
  preferredLang?: string;
  limit: number;
  cursor?: string;
  facets: boolean;
}

export interface CatalogSearchHit {
  itemType: string;
  itemId: string;
  lang: string;
  title: string;
  titleHighlight: string;
  snippet: string;
  state: string;
  tags: string[];
  version: number;
  updatedAt: string;
  score: number;
}

export interface CatalogSearchResult {
  items: CatalogSearchHit[];
  nextCursor: string | null;
  facets?: { total: number; types: Record<string, number>; tags: { tag: string; count: number }[] };
}

/** bm25 column weights: title ≫ description > body; ws_token carries no relevance. */
const RANK = sql`bm25(catalog_fts, 10.0, 4.0, 1.0, 0.0)`;
const FACET_TAG_LIMIT = 20;

type PageRow = {
  rid: number;
  score: number;
  item_type: string;
  item_id: string;
  lang: string;
  title: string;
  state: string;
  tags: string;
  version: number;
  updated_at: string;
  title_hl: string | null;
  snippet: string | null;
};
type FacetRow = { kind: "type" | "tag"; key: string; n: number };

/**
 * Full-text search over one workspace's catalog (FTS5, bm25, keyset pagination on
 * (score, rowid)). One D1 round trip: the page, plus facet counts on the first page.
 */
export async function searchCatalog(db: D1Database, p: CatalogSearchParams): Promise<CatalogSearchResult> {
  const match = catalogMatchExpression(p.workspaceId, p.q);
  const queryPrint = fingerprint(JSON.stringify([p.q, p.types, p.tag, p.states, p.lang, p.preferredLang]));
  let after: { s: number; r: number } | undefined;
  if (p.cursor) {
    const raw = decodeCursor(p.cursor);
    if (raw.f !== queryPrint || typeof raw.s !== "number" || typeof raw.r !== "number") {
      decodeCursor("!", "cursor"); // throws the validation error
    }
    after = { s: raw.s as number, r: raw.r as number };
  }

  const filters = whereClause(p, match);
  const keyset = after ? sql`WHERE (score > ${after.s} OR (score = ${after.s} AND rid > ${after.r}))` : sql``;
  const pageQuery = sql`
    WITH hits AS (
      SELECT t.rowid AS rid, ${RANK} AS score
      FROM catalog_fts
      JOIN catalog_texts t ON t.rowid = catalog_fts.rowid
      JOIN catalog_items i ON i.workspace_id = t.workspace_id AND i.item_type = t.item_type AND i.item_id = t.item_id
      ${filters}
    ),
    page AS (SELECT rid, score FROM hits ${keyset} ORDER BY score, rid LIMIT ${p.limit + 1})
    SELECT page.rid, page.score, t.item_type, t.item_id, t.lang, t.title, i.state, i.tags, i.version, i.updated_at,
      highlight(catalog_fts, 0, ${MARK_OPEN}, ${MARK_CLOSE}) AS title_hl,
      snippet(catalog_fts, -1, ${MARK_OPEN}, ${MARK_CLOSE}, '…', 16) AS snippet
    FROM page
    JOIN catalog_fts ON catalog_fts.rowid = page.rid AND catalog_fts MATCH ${match}
    JOIN catalog_texts t ON t.rowid = page.rid
    JOIN catalog_items i ON i.workspace_id = t.workspace_id AND i.item_type = t.item_type AND i.item_id = t.item_id
    ORDER BY page.score, page.rid`;

  const facetQuery = sql`
    WITH hits AS MATERIALIZED (
      SELECT t.item_type AS item_type, t.item_id AS item_id
      FROM catalog_fts
      JOIN catalog_texts t ON t.rowid = catalog_fts.rowid
      JOIN catalog_items i ON i.workspace_id = t.workspace_id AND i.item_type = t.item_type AND i.item_id = t.item_id
      ${filters}
    )
    SELECT 'type' AS kind, item_type AS key, count(*) AS n FROM hits GROUP BY item_type
    UNION ALL
    SELECT 'tag' AS kind, g.tag AS key, count(*) AS n
    FROM hits JOIN catalog_tags g
      ON g.workspace_id = ${p.workspaceId} AND g.item_type = hits.item_type AND g.item_id = hits.item_id
    GROUP BY g.tag`;

  const wantFacets = p.facets && !after;
  const statements = [statement(db, pageQuery), ...(wantFacets ? [statement(db, facetQuery)] : [])];
  const [pageResult, facetResult] = await db.batch(statements);
  const rows = (pageResult?.results ?? []) as PageRow[];
  const facetRows = facetResult ? (facetResult.results as FacetRow[]) : undefined;

  const page = rows.slice(0, p.limit);
  const last = page.at(-1);
  const result: CatalogSearchResult = {
    items: page.map((row) => ({
      itemType: row.item_type,
      itemId: row.item_id,
      lang: row.lang,
      title: row.title,
      titleHighlight: markHighlights(row.title_hl ?? row.title),
      snippet: markHighlights(row.snippet),
      state: row.state,
      tags: parseTags(row.tags),
      version: row.version,
      updatedAt: row.updated_at,
      score: row.score,
    })),
    nextCursor: rows.length > p.limit && last ? encodeCursor({ f: queryPrint, s: last.score, r: last.rid }) : null,
  };
  if (facetRows) result.facets = toFacets(facetRows);
  return result;
}

const dialect = new SQLiteAsyncDialect();

/** Drizzle builds the SQL and its parameters; D1's own batch runs page and facets in one round trip. */
function statement(db: D1Database, query: SQL): D1PreparedStatement {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return db.prepare(text).bind(...params);
}

function whereClause(p: CatalogSearchParams, match: string): SQL {
  const parts: SQL[] = [
    sql`catalog_fts MATCH ${match}`,
    sql`t.workspace_id = ${p.workspaceId}`,
    sql`i.deleted = 0`,
    sql`i.state IN (${sql.join(
      p.states.map((s) => sql`${s}`),
      sql`, `,
    )})`,
  ];
  if (p.types?.length) {
    parts.push(
      sql`t.item_type IN (${sql.join(
        p.types.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  }
  if (p.tag) {
    parts.push(sql`EXISTS (SELECT 1 FROM catalog_tags g WHERE g.workspace_id = t.workspace_id
      AND g.item_type = t.item_type AND g.item_id = t.item_id AND g.tag = ${p.tag})`);
  }
  if (p.lang) {
    parts.push(sql`t.lang = ${p.lang}`);
  } else if (p.preferredLang) {
    parts.push(sql`(t.lang = ${p.preferredLang} OR (t.lang = i.default_lang AND NOT EXISTS (
      SELECT 1 FROM catalog_texts x WHERE x.workspace_id = t.workspace_id AND x.item_type = t.item_type
        AND x.item_id = t.item_id AND x.lang = ${p.preferredLang})))`);
  } else {
    parts.push(sql`t.lang = i.default_lang`);
  }
  return sql`WHERE ${sql.join(parts, sql` AND `)}`;
}

function parseTags(raw: string): string[] {
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : [];
  } catch {
    return [];
  }
}

function toFacets(rows: FacetRow[]): NonNullable<CatalogSearchResult["facets"]> {
  const types: Record<string, number> = {};
  const tags: { tag: string; count: number }[] = [];
  let total = 0;
  for (const row of rows) {
    if (row.kind === "type") {
      types[row.key] = row.n;
      total += row.n;
    } else tags.push({ tag: row.key, count: row.n });
  }
  tags.sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  return { total, types, tags: tags.slice(0, FACET_TAG_LIMIT) };
}
