import type { ContentState } from "@questline/contracts";
import { type SQL, sql } from "drizzle-orm";
import { MARK_CLOSE, MARK_OPEN } from "./highlight";

/** bm25 column weights: title ≫ description > body; ws_token carries no relevance. */
const BM25 = sql`bm25(catalog_fts, 10.0, 4.0, 1.0, 0.0)`;

/**
 * Below this share of all indexed texts, a workspace's search ANDs its `ws_token` into the
 * MATCH; at or above it, the MATCH is the user's terms alone and the join filters the
 * workspace. bm25 scores every phrase of the expression, so the token costs a walk of the
 * workspace's whole doclist per query (~4 ms per 100k texts here); leaving it out costs the
 * other workspaces' hits instead. The scores are the same either way (the token's column
 * weighs 0.0), so this only chooses the cheaper plan. 1/3 is about the break-even for a
 * query matching a few % of the index (bench/catalog-search/README.md).
 */
const TOKEN_BELOW_SHARE = 3;

export interface SearchFilter {
  workspaceId: string;
  types?: readonly string[];
  tag?: string;
  states: readonly ContentState[];
  lang?: string;
  preferredLang?: string;
}

/** The MATCH expression, chosen in SQL from `catalog_workspace_texts` (one CTE, `m`). */
function matchCte(workspaceId: string, terms: string, scoped: string): SQL {
  return sql`m AS MATERIALIZED (SELECT CASE
      WHEN coalesce((SELECT texts FROM catalog_workspace_texts WHERE workspace_id = ${workspaceId}), 0) * ${TOKEN_BELOW_SHARE}
        >= coalesce((SELECT texts FROM catalog_workspace_texts WHERE workspace_id = ''), 0)
      THEN ${terms} ELSE ${scoped} END AS expr)`;
}
const MATCH = sql`catalog_fts MATCH (SELECT expr FROM m)`;

/**
 * One page of hits, in (score, rowid) order after the keyset `after`:
 * 1. `cand`: the best `candidates` rows by (bm25, rowid) from the FTS index alone (no joins),
 * 2. `page`: those joined to texts/items and filtered, first `limit + 1` kept,
 * 3. `hl`: highlight and snippet for the page rows through ONE FTS cursor over their rowid
 *    range (a cursor per row rebuilds the doclists of prefix terms longer than the prefix
 *    index every time: ~0.6 ms per row for `ocean*` at 100k).
 * Always one row at least: `n` (rows in `cand`) tells the caller whether a short page is the
 * end of the results (`n < candidates`) or needs more candidates. `candidates = -1` is no
 * limit, i.e. every hit is ranked and joined (the exact fallback).
 */
export function pageQuery(
  f: SearchFilter,
  terms: string,
  scoped: string,
  limit: number,
  candidates: number,
  after?: { s: number; r: number },
): SQL {
  const keyset = after
    ? sql`AND (${BM25} > ${after.s} OR (${BM25} = ${after.s} AND catalog_fts.rowid > ${after.r}))`
    : sql``;
  return sql`
    WITH ${matchCte(f.workspaceId, terms, scoped)},
    cand AS MATERIALIZED (
      SELECT catalog_fts.rowid AS rid, ${BM25} AS score FROM catalog_fts
      WHERE ${MATCH} ${keyset}
      ORDER BY score, rid LIMIT ${candidates}
    ),
    page AS MATERIALIZED (
      SELECT cand.rid, cand.score, t.item_type, t.item_id, t.lang, t.title, i.state, i.tags, i.version, i.updated_at
      FROM cand
      CROSS JOIN catalog_texts t ON t.rowid = cand.rid
      CROSS JOIN catalog_items i ON i.workspace_id = t.workspace_id AND i.item_type = t.item_type AND i.item_id = t.item_id
      WHERE ${filterConditions(f)}
      ORDER BY cand.score, cand.rid LIMIT ${limit + 1}
    ),
    hl AS MATERIALIZED (
      SELECT catalog_fts.rowid AS rid,
        highlight(catalog_fts, 0, ${MARK_OPEN}, ${MARK_CLOSE}) AS title_hl,
        snippet(catalog_fts, -1, ${MARK_OPEN}, ${MARK_CLOSE}, '…', 16) AS snippet
      FROM catalog_fts
      WHERE ${MATCH} AND catalog_fts.rowid >= (SELECT min(rid) FROM page)
        AND catalog_fts.rowid <= (SELECT max(rid) FROM page) AND +catalog_fts.rowid IN (SELECT rid FROM page)
    )
    SELECT c.n, page.*, hl.title_hl, hl.snippet
    FROM (SELECT count(*) AS n FROM cand) AS c
    LEFT JOIN page
    LEFT JOIN hl ON hl.rid = page.rid
    ORDER BY page.score, page.rid`;
}

/**
 * Facet counts over every hit (not only the page): hits per type and per tag. The same
 * filters as the page; no bm25, and both lookups per hit (text → item key, item → filters)
 * are covering-index probes.
 */
export function facetQuery(f: SearchFilter, terms: string, scoped: string): SQL {
  return sql`
    WITH ${matchCte(f.workspaceId, terms, scoped)},
    hits AS MATERIALIZED (
      SELECT t.item_type AS item_type, t.item_id AS item_id
      FROM catalog_fts
      CROSS JOIN catalog_texts t INDEXED BY catalog_texts_key_by_rowid ON t.rowid = catalog_fts.rowid
      CROSS JOIN catalog_items i ON i.workspace_id = t.workspace_id AND i.item_type = t.item_type AND i.item_id = t.item_id
      WHERE ${MATCH} AND ${filterConditions(f)}
    )
    SELECT 'type' AS kind, item_type AS key, count(*) AS n FROM hits GROUP BY item_type
    UNION ALL
    SELECT 'tag' AS kind, g.tag AS key, count(*) AS n
    FROM hits JOIN catalog_tags g
      ON g.workspace_id = ${f.workspaceId} AND g.item_type = hits.item_type AND g.item_id = hits.item_id
    GROUP BY g.tag`;
}

/** Workspace, visibility, type, tag and language conditions on `t` (text) and `i` (item). */
function filterConditions(f: SearchFilter): SQL {
  const parts: SQL[] = [
    sql`t.workspace_id = ${f.workspaceId}`,
    sql`i.deleted = 0`,
    sql`i.state IN (${sql.join(
      f.states.map((s) => sql`${s}`),
      sql`, `,
    )})`,
  ];
  if (f.types?.length) {
    parts.push(
      sql`t.item_type IN (${sql.join(
        f.types.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  }
  if (f.tag) {
    parts.push(sql`EXISTS (SELECT 1 FROM catalog_tags g WHERE g.workspace_id = t.workspace_id
      AND g.item_type = t.item_type AND g.item_id = t.item_id AND g.tag = ${f.tag})`);
  }
  if (f.lang) {
    parts.push(sql`t.lang = ${f.lang}`);
  } else if (f.preferredLang) {
    parts.push(sql`(t.lang = ${f.preferredLang} OR (t.lang = i.default_lang AND NOT EXISTS (
      SELECT 1 FROM catalog_texts x WHERE x.workspace_id = t.workspace_id AND x.item_type = t.item_type
        AND x.item_id = t.item_id AND x.lang = ${f.preferredLang})))`);
  } else {
    parts.push(sql`t.lang = i.default_lang`);
  }
  return sql.join(parts, sql` AND `);
}
