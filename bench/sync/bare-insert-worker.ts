/**
 * Baseline for bench/sync/apply-throughput.ts: receives the same JSON body as `POST /batches`
 * and inserts the same rows (item, texts, tags) with one plain INSERT per row, all in one
 * `D1.batch()` (default), or with three set-based statements (`?mode=json`, the fastest plain
 * insert). No signature check, no schema validation, no version guard, no pre-read.
 */
/** The slice of the D1 binding used here (declared locally: the root tsconfig has no workers types). */
interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
}
interface D1Database {
  prepare(sql: string): D1PreparedStatement;
  batch(statements: D1PreparedStatement[]): Promise<unknown[]>;
}

interface Operation {
  workspaceId: string;
  itemType: string;
  itemId: string;
  version: number;
  changedAt: number;
  document: {
    state: string;
    origin: string;
    defaultLang: string;
    texts: { lang: string; title: string; description: string; body: string }[];
    tags: string[];
    mediaRefs: string[];
    payload: Record<string, unknown>;
    createdAt: string;
    updatedAt: string;
  };
}

export default {
  async fetch(request: Request, env: { DB: D1Database }): Promise<Response> {
    const { operations } = (await request.json()) as { operations: Operation[] };
    const now = Date.now();
    if (new URL(request.url).searchParams.get("mode") === "json") return insertSetBased(env.DB, operations, now);
    const statements: D1PreparedStatement[] = [];
    const item = env.DB.prepare(
      `INSERT INTO catalog_items (workspace_id, item_type, item_id, version, deleted, state, origin, default_lang,
         tags, media_refs, payload, created_at, updated_at, changed_at, indexed_at)
       VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const text = env.DB.prepare(
      "INSERT INTO catalog_texts (workspace_id, item_type, item_id, lang, title, description, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    const tag = env.DB.prepare("INSERT INTO catalog_tags (workspace_id, item_type, item_id, tag) VALUES (?, ?, ?, ?)");
    for (const op of operations) {
      const d = op.document;
      const key = [op.workspaceId, op.itemType, op.itemId] as const;
      statements.push(
        item.bind(
          ...key,
          op.version,
          d.state,
          d.origin,
          d.defaultLang,
          JSON.stringify(d.tags),
          JSON.stringify(d.mediaRefs),
          JSON.stringify(d.payload),
          d.createdAt,
          d.updatedAt,
          op.changedAt,
          now,
        ),
      );
      for (const t of d.texts) statements.push(text.bind(...key, t.lang, t.title, t.description, t.body));
      for (const g of d.tags) statements.push(tag.bind(...key, g));
    }
    await env.DB.batch(statements);
    return Response.json({ inserted: operations.length });
  },
};

/**
 * The fastest plain insert: the same rows through three `INSERT … SELECT … FROM json_each(?)`
 * statements in one batch (one bound parameter each; batches here stay far below 1 MB).
 */
async function insertSetBased(db: D1Database, operations: Operation[], now: number): Promise<Response> {
  const items = operations.map((op) => ({
    w: op.workspaceId,
    t: op.itemType,
    i: op.itemId,
    v: op.version,
    s: op.document.state,
    o: op.document.origin,
    l: op.document.defaultLang,
    tg: JSON.stringify(op.document.tags),
    mr: JSON.stringify(op.document.mediaRefs),
    p: JSON.stringify(op.document.payload),
    ca: op.document.createdAt,
    ua: op.document.updatedAt,
    ch: op.changedAt,
  }));
  const texts = operations.flatMap((op) =>
    op.document.texts.map((t) => ({ w: op.workspaceId, t: op.itemType, i: op.itemId, ...t })),
  );
  const tags = operations.flatMap((op) =>
    op.document.tags.map((tag) => ({ w: op.workspaceId, t: op.itemType, i: op.itemId, tag })),
  );
  await db.batch([
    db
      .prepare(
        `INSERT INTO catalog_items (workspace_id, item_type, item_id, version, deleted, state, origin, default_lang,
           tags, media_refs, payload, created_at, updated_at, changed_at, indexed_at)
         SELECT j.value->>'w', j.value->>'t', j.value->>'i', j.value->>'v', 0, j.value->>'s', j.value->>'o',
           j.value->>'l', j.value->>'tg', j.value->>'mr', j.value->>'p', j.value->>'ca', j.value->>'ua',
           j.value->>'ch', ?2
         FROM json_each(?1) AS j`,
      )
      .bind(JSON.stringify(items), now),
    db
      .prepare(
        `INSERT INTO catalog_texts (workspace_id, item_type, item_id, lang, title, description, body)
         SELECT j.value->>'w', j.value->>'t', j.value->>'i', j.value->>'lang', j.value->>'title',
           j.value->>'description', j.value->>'body'
         FROM json_each(?1) AS j`,
      )
      .bind(JSON.stringify(texts)),
    db
      .prepare(
        `INSERT INTO catalog_tags (workspace_id, item_type, item_id, tag)
         SELECT j.value->>'w', j.value->>'t', j.value->>'i', j.value->>'tag' FROM json_each(?1) AS j`,
      )
      .bind(JSON.stringify(tags)),
  ]);
  return Response.json({ inserted: operations.length });
}
