/**
 * The LIKE baseline's query, shared by the bench worker's route (`worker/index.ts`) and the
 * engine-level timing (`sql-timing.ts`): the same search as `/app/catalog/search` done with
 * `LIKE '%term%'` on title, description and body of the published default-language texts.
 * Binds: workspace id, then the pattern three times.
 */
export const LIKE_PAGE_SQL = `SELECT t.item_type, t.item_id, t.title FROM catalog_texts t
  JOIN catalog_items i ON i.workspace_id = t.workspace_id AND i.item_type = t.item_type AND i.item_id = t.item_id
  WHERE t.workspace_id = ? AND i.deleted = 0 AND i.state = 'PUBLISHED' AND t.lang = i.default_lang
    AND (t.title LIKE ? OR t.description LIKE ? OR t.body LIKE ?)
  ORDER BY t.rowid LIMIT 20`;

/** `%term%` with LIKE's own wildcards removed from the term. */
export function likePattern(term: string): string {
  return `%${term.replace(/[%_]/g, "")}%`;
}
