/**
 * Seeds the catalog of one workspace straight into the SQLite file behind local D1.
 *
 * `wrangler d1 execute --file` goes through workerd one statement at a time (~50 s for 10k
 * items here) and prints a JSON result per statement; the old harness read that through
 * `spawnSync`'s 1 MiB default `maxBuffer`, so at 20k statements (1.8 MB of output) the child
 * was killed with ENOBUFS and the run failed as "exited non-zero". Writing the rows with
 * `node:sqlite` into the file that `wrangler d1 migrations apply --persist-to` created (the
 * same schema, the same FTS5 triggers) takes seconds, scales to 1M items, and leaves D1 exactly
 * as the indexer would (the triggers fill `catalog_fts`).
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

/** Words the benchmark queries: each item's title has one, bodies draw them 10% of the time. */
export const THEME_WORDS = (
  "climate energy water forest ocean recycling solar wind carbon garden city mobility food waste " +
  "biodiversity river mountain soil plastic bicycle train compost insect bird tree rain heat cold light"
).split(" ");
/** A word planted in one item body out of RARE_EVERY: the selective query. */
export const RARE_WORD = "glacier";
export const RARE_EVERY = 5000;

const VOCABULARY_SIZE = 4000;
const SYLLABLES =
  "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu".split(
    " ",
  );

/** Deterministic LCG in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A made-up vocabulary (2–4 syllables) drawn log-uniformly: a few words are common, most rare. */
function vocabulary(r: () => number): () => string {
  const words: string[] = [];
  const seen = new Set<string>([...THEME_WORDS, RARE_WORD]);
  while (words.length < VOCABULARY_SIZE) {
    const length = 2 + Math.floor(r() * 3);
    const word = Array.from({ length }, () => SYLLABLES[Math.floor(r() * SYLLABLES.length)]).join("");
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return () => words[Math.floor(Math.exp(r() * Math.log(VOCABULARY_SIZE + 1))) - 1] ?? words[0] ?? "";
}

/** The D1 database file under a `--persist-to` directory (there is one database in this config). */
export function localD1File(persistTo: string): string {
  const dir = path.join(persistTo, "v3/d1/miniflare-D1DatabaseObject");
  const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.join(", ") || "none"}`);
  return path.join(dir, files[0] as string);
}

/** Inserts `items` published learning groups (English, one text each) for `workspaceId`. */
export function seedCatalog(file: string, workspaceId: string, items: number): void {
  const r = random(42);
  const word = vocabulary(r);
  const theme = () => THEME_WORDS[Math.floor(r() * THEME_WORDS.length)] as string;
  const words = (n: number, themeRate: number) =>
    Array.from({ length: n }, () => (r() < themeRate ? theme() : word())).join(" ");

  const db = new DatabaseSync(file);
  try {
    const insertItem = db.prepare(
      `INSERT INTO catalog_items (workspace_id, item_type, item_id, version, deleted, state, origin, default_lang,
         tags, media_refs, payload, created_at, updated_at, changed_at, indexed_at)
       VALUES (?, 'learningGroup', ?, 1, 0, 'PUBLISHED', 'CUSTOM', 'en', '[]', '[]', '{}',
         '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1, 1)`,
    );
    const insertText = db.prepare(
      `INSERT INTO catalog_texts (workspace_id, item_type, item_id, lang, title, description, body)
       VALUES (?, 'learningGroup', ?, 'en', ?, ?, ?)`,
    );
    const chunk = 10_000;
    for (let start = 0; start < items; start += chunk) {
      db.exec("BEGIN");
      for (let i = start; i < Math.min(items, start + chunk); i++) {
        const id = `item${i}`;
        const title = `${theme()} ${words(2 + Math.floor(r() * 3), 0)} ${i}`;
        const description = words(10, 0.05);
        const body = words(30, 0.1) + (i % RARE_EVERY === RARE_EVERY - 1 ? ` ${RARE_WORD}` : "");
        insertItem.run(workspaceId, id);
        insertText.run(workspaceId, id, title, description, body);
      }
      db.exec("COMMIT");
    }
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}
