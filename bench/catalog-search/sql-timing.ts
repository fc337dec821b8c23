/**
 * The database half of the benchmark without wrangler dev: the search's FTS5 + bm25 page query
 * and the LIKE baseline's query, run one at a time with `node:sqlite` on the seeded D1 file.
 * Under `wrangler dev` the per-request overhead (proxy, auth, rate limiters) hides most of the
 * query cost at small sizes; this shows the engine-level ratio. The SQL mirrors
 * `workers/api/src/catalog/search.ts` (page query, no highlight/snippet) and
 * `workers/api/src/http/bench-routes.ts`; the MATCH expression is the production one.
 */
import { DatabaseSync } from "node:sqlite";
import { catalogMatchExpression } from "../../workers/api/src/catalog/fts-query";

const FTS_PAGE = `SELECT t.rowid AS rid, bm25(catalog_fts, 10.0, 4.0, 1.0, 0.0) AS score
  FROM catalog_fts
  JOIN catalog_texts t ON t.rowid = catalog_fts.rowid
  JOIN catalog_items i ON i.workspace_id = t.workspace_id AND i.item_type = t.item_type AND i.item_id = t.item_id
  WHERE catalog_fts MATCH ? AND t.workspace_id = ? AND i.deleted = 0 AND i.state IN ('PUBLISHED')
    AND t.lang = i.default_lang
  ORDER BY score, rid LIMIT 21`;
const LIKE_PAGE = `SELECT t.item_type, t.item_id, t.title FROM catalog_texts t
  JOIN catalog_items i ON i.workspace_id = t.workspace_id AND i.item_type = t.item_type AND i.item_id = t.item_id
  WHERE t.workspace_id = ? AND i.deleted = 0 AND i.state = 'PUBLISHED' AND t.lang = i.default_lang
    AND (t.title LIKE ? OR t.description LIKE ? OR t.body LIKE ?)
  ORDER BY t.rowid LIMIT 20`;

export interface QueryTiming {
  p50: number;
  runs: number;
  matches: number;
}

function time(run: () => unknown[], budgetMs: number): QueryTiming {
  const samples: number[] = [];
  let matches = 0;
  const deadline = performance.now() + budgetMs;
  while (samples.length < 5 || (performance.now() < deadline && samples.length < 200)) {
    const t0 = performance.now();
    matches = run().length;
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length / 2)] ?? 0, runs: samples.length, matches };
}

/** p50 of the FTS page query for `q` and of the LIKE query for `likeTerm`, in ms. */
export function timeQueries(file: string, workspaceId: string, q: string, likeTerm: string) {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const fts = db.prepare(FTS_PAGE);
    const like = db.prepare(LIKE_PAGE);
    const match = catalogMatchExpression(workspaceId, q);
    const term = `%${likeTerm}%`;
    return {
      fts: time(() => fts.all(match, workspaceId), 3000),
      like: time(() => like.all(workspaceId, term, term, term), 3000),
    };
  } finally {
    db.close();
  }
}
