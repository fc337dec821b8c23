/**
 * The database half of the benchmark without wrangler dev: the search's statements and the
 * LIKE baseline's query, run one at a time with `node:sqlite` on the seeded D1 file. Under
 * `wrangler dev` the per-request overhead (proxy, auth, rate limiters) hides most of the
 * query cost at small sizes; this shows the engine-level ratio. The search SQL is built by
 * `workers/api/src/catalog/search-sql.ts` itself (page with highlight/snippet, first attempt;
 * facets); the LIKE query is the bench worker's own (`like-sql.ts`).
 *
 *   npx tsx bench/catalog-search/sql-timing.ts <d1 file> [workspace] [query…]
 */
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { catalogMatchExpressions } from "@questline/worker-api/catalog/fts-query";
import { facetQuery, pageQuery, type SearchFilter } from "@questline/worker-api/catalog/search-sql";
import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { LIKE_PAGE_SQL, likePattern } from "./like-sql";

export interface QueryTiming {
  p50: number;
  runs: number;
  rows: number;
}

function time(run: () => unknown[], budgetMs: number): QueryTiming {
  const samples: number[] = [];
  let rows = 0;
  const deadline = performance.now() + budgetMs;
  while (samples.length < 5 || (performance.now() < deadline && samples.length < 200)) {
    const t0 = performance.now();
    rows = run().length;
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length / 2)] ?? 0, runs: samples.length, rows };
}

const dialect = new SQLiteAsyncDialect();
function prepared(db: DatabaseSync, query: SQL): () => unknown[] {
  const { sql, params } = dialect.sqlToQuery(query);
  const statement = db.prepare(sql);
  return () => statement.all(...(params as SQLInputValue[]));
}

/**
 * p50 in ms of the search page statement (as `/app/catalog/search?q=…&limit=20` sends it
 * first), of the facet statement, and of the LIKE query for `likeTerm`.
 */
export function timeQueries(file: string, workspaceId: string, q: string, likeTerm: string) {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const { terms, scoped } = catalogMatchExpressions(workspaceId, q);
    const filter: SearchFilter = { workspaceId, states: ["PUBLISHED"] };
    const like = db.prepare(LIKE_PAGE_SQL);
    const term = likePattern(likeTerm);
    return {
      fts: time(prepared(db, pageQuery(filter, terms, scoped, 20, 256)), 3000),
      facets: time(prepared(db, facetQuery(filter, terms, scoped)), 2000),
      like: time(() => like.all(workspaceId, term, term, term), 3000),
    };
  } finally {
    db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, workspaceId = "wsBENCH001", ...queries] = process.argv.slice(2);
  if (!file) throw new Error("usage: sql-timing.ts <d1 file> [workspace] [query…]");
  for (const q of queries.length ? queries : ["forest ocean", "glacier", "forest"]) {
    const t = timeQueries(file, workspaceId, q, q.split(" ")[0] ?? q);
    console.log(
      `${q.padEnd(14)} page p50 ${t.fts.p50.toFixed(2)} ms, facets p50 ${t.facets.p50.toFixed(2)} ms, LIKE p50 ${t.like.p50.toFixed(
        2,
      )} ms, LIKE/page ×${(t.like.p50 / t.fts.p50).toFixed(1)}`,
    );
  }
}
