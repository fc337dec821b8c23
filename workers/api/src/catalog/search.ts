import type { CatalogItemType, ContentState } from "@questline/contracts";
import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { decodeCursor, encodeCursor, fingerprint } from "./cursor";
import { catalogMatchExpressions } from "./fts-query";
import { markHighlights } from "./highlight";
import { facetQuery, pageQuery, type SearchFilter } from "./search-sql";

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

const FACET_TAG_LIMIT = 20;
/**
 * Candidates ranked by the FTS index before any join, per attempt. A page needs `limit + 1`
 * survivors of the filters (workspace, state, language fallback, type, tag); when fewer
 * survive and the index had more hits, the next attempt ranks more, the last one all hits.
 */
const CANDIDATE_STEPS = [256, 4096, -1] as const;

type PageRow = {
  n: number;
  rid: number | null;
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
 * (score, rowid)). Top-k: the FTS index ranks its hits alone and only the best candidates
 * are joined and filtered (`search-sql.ts`); the result is the same as ranking every
 * filtered hit. One D1 round trip (page + facets on the first page) unless the filters drop
 * so many candidates that a wider attempt is needed.
 */
export async function searchCatalog(db: D1Database, p: CatalogSearchParams): Promise<CatalogSearchResult> {
  const { terms, scoped } = catalogMatchExpressions(p.workspaceId, p.q);
  const queryPrint = fingerprint(JSON.stringify([p.q, p.types, p.tag, p.states, p.lang, p.preferredLang]));
  let after: { s: number; r: number } | undefined;
  if (p.cursor) {
    const raw = decodeCursor(p.cursor);
    if (raw.f !== queryPrint || typeof raw.s !== "number" || typeof raw.r !== "number") {
      decodeCursor("!", "cursor"); // throws the validation error
    }
    after = { s: raw.s as number, r: raw.r as number };
  }

  const filter: SearchFilter = {
    workspaceId: p.workspaceId,
    states: p.states,
    ...(p.types ? { types: p.types } : {}),
    ...(p.tag ? { tag: p.tag } : {}),
    ...(p.lang ? { lang: p.lang } : {}),
    ...(p.preferredLang ? { preferredLang: p.preferredLang } : {}),
  };
  const wantFacets = p.facets && !after;
  let rows: PageRow[] = [];
  let facetRows: FacetRow[] | undefined;
  for (const candidates of CANDIDATE_STEPS) {
    const page = statement(db, pageQuery(filter, terms, scoped, p.limit, candidates, after));
    const facets = wantFacets && !facetRows ? [statement(db, facetQuery(filter, terms, scoped))] : [];
    const [pageResult, facetResult] = await db.batch([page, ...facets]);
    if (facetResult) facetRows = facetResult.results as FacetRow[];
    const all = (pageResult?.results ?? []) as PageRow[];
    rows = all.filter((row) => row.rid !== null);
    const exhausted = candidates < 0 || (all[0]?.n ?? 0) < candidates;
    if (rows.length > p.limit || exhausted) break;
  }

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
    nextCursor:
      rows.length > p.limit && last?.rid != null ? encodeCursor({ f: queryPrint, s: last.score, r: last.rid }) : null,
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
