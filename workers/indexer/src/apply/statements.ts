/**
 * Set-based SQL for applying an index batch. Every statement binds at most two parameters
 * (a JSON array read with `json_each`, and a timestamp), so a 1000-operation batch stays far
 * below D1's 100-bound-parameter limit and needs a handful of statements instead of thousands.
 */

/**
 * Upserts items and tombstones in delivery order, guarded by version: newer wins; at an
 * equal version only a delete over a live row wins. Must match `supersedes()` in plan.ts.
 * RETURNING yields one row per operation that changed the table (stale ones return nothing).
 */
export const UPSERT_ITEMS = `
INSERT INTO catalog_items (
  workspace_id, item_type, item_id, version, deleted, state, origin, default_lang,
  tags, media_refs, payload, created_at, updated_at, changed_at, indexed_at
)
SELECT
  j.value ->> 'w', j.value ->> 't', j.value ->> 'i', j.value ->> 'v', j.value ->> 'd',
  j.value ->> 's', j.value ->> 'o', j.value ->> 'l', j.value ->> 'tg', j.value ->> 'mr',
  j.value ->> 'p', j.value ->> 'ca', j.value ->> 'ua', j.value ->> 'ch', ?2
FROM json_each(?1) AS j
WHERE true
ORDER BY j.key
ON CONFLICT (workspace_id, item_type, item_id) DO UPDATE SET
  version = excluded.version,
  deleted = excluded.deleted,
  state = excluded.state,
  origin = excluded.origin,
  default_lang = excluded.default_lang,
  tags = excluded.tags,
  media_refs = excluded.media_refs,
  payload = excluded.payload,
  created_at = excluded.created_at,
  updated_at = excluded.updated_at,
  changed_at = excluded.changed_at,
  indexed_at = excluded.indexed_at
WHERE excluded.version > catalog_items.version
   OR (excluded.deleted = 1 AND catalog_items.deleted = 0 AND excluded.version = catalog_items.version)
RETURNING workspace_id AS w, item_type AS t, item_id AS i, version AS v, deleted AS d`;

/** Items whose stored row now equals the batch's final state for them (their texts/tags are rewritten). */
const SETTLED_ITEMS = `
SELECT c.workspace_id, c.item_type, c.item_id
FROM json_each(?1) AS j
JOIN catalog_items AS c
  ON c.workspace_id = j.value ->> 'w' AND c.item_type = j.value ->> 't' AND c.item_id = j.value ->> 'i'
 AND c.version = j.value ->> 'v' AND c.deleted = j.value ->> 'd'`;

export const DELETE_SETTLED_TEXTS = `
DELETE FROM catalog_texts
WHERE (workspace_id, item_type, item_id) IN (${SETTLED_ITEMS})`;

export const DELETE_SETTLED_TAGS = `
DELETE FROM catalog_tags
WHERE (workspace_id, item_type, item_id) IN (${SETTLED_ITEMS})`;

/** Inserts the winning document's texts, only where that version is the stored live row. */
export const INSERT_TEXTS = `
INSERT INTO catalog_texts (workspace_id, item_type, item_id, lang, title, description, body)
SELECT c.workspace_id, c.item_type, c.item_id, j.value ->> 'lang', j.value ->> 'title',
       j.value ->> 'description', j.value ->> 'body'
FROM json_each(?1) AS j
JOIN catalog_items AS c
  ON c.workspace_id = j.value ->> 'w' AND c.item_type = j.value ->> 't' AND c.item_id = j.value ->> 'i'
 AND c.version = j.value ->> 'v' AND c.deleted = 0
ORDER BY j.key`;

export const INSERT_TAGS = `
INSERT OR IGNORE INTO catalog_tags (workspace_id, item_type, item_id, tag)
SELECT c.workspace_id, c.item_type, c.item_id, j.value ->> 'tag'
FROM json_each(?1) AS j
JOIN catalog_items AS c
  ON c.workspace_id = j.value ->> 'w' AND c.item_type = j.value ->> 't' AND c.item_id = j.value ->> 'i'
 AND c.version = j.value ->> 'v' AND c.deleted = 0`;

/** Latest stream lag, globally (`stream`) and per workspace (`stream:<workspaceId>`). */
export const UPSERT_LAG_STATS = `
INSERT INTO indexer_stats (key, last_changed_at, last_applied_at, last_lag_ms)
SELECT j.value ->> 'key', j.value ->> 'changedAt', ?2, ?2 - (j.value ->> 'changedAt')
FROM json_each(?1) AS j
WHERE true
ON CONFLICT (key) DO UPDATE SET
  last_changed_at = excluded.last_changed_at,
  last_applied_at = excluded.last_applied_at,
  last_lag_ms = excluded.last_lag_ms`;
