import type { IndexOperation } from "@questline/contracts";

/** The identity and version state of one catalog row (live or tombstone). */
export interface RowVersion {
  version: number;
  deleted: boolean;
}

export function itemKey(op: { workspaceId: string; itemType: string; itemId: string }): string {
  return `${op.workspaceId}\u0000${op.itemType}\u0000${op.itemId}`;
}

/**
 * The version guard, identical to the SQL `WHERE` of the item upsert: a newer version always
 * wins; at an equal version only a delete over a live row wins (a delete carries the version
 * of the item it removes). Everything else is stale, so replays and reordering change nothing.
 */
export function supersedes(incoming: RowVersion, current: RowVersion | undefined): boolean {
  if (!current) return true;
  if (incoming.version > current.version) return true;
  return incoming.deleted && !current.deleted && incoming.version === current.version;
}

/** Compact row shapes bound as JSON and read back with `json_each` (see statements.ts). */
export interface ItemRow {
  w: string;
  t: string;
  i: string;
  v: number;
  d: 0 | 1;
  s: string;
  o: string;
  l: string;
  tg: string;
  mr: string;
  p: string;
  ca: string;
  ua: string;
  ch: number;
}
export interface FinalStateRow {
  w: string;
  t: string;
  i: string;
  v: number;
  d: 0 | 1;
}
export interface TextRow {
  w: string;
  t: string;
  i: string;
  v: number;
  lang: string;
  title: string;
  description: string;
  body: string;
}
export interface TagRow {
  w: string;
  t: string;
  i: string;
  v: number;
  tag: string;
}

export interface BatchPlan {
  /** One row per operation, in delivery order (the SQL applies them in that order). */
  items: ItemRow[];
  /** Per touched item: the state the batch alone would leave (texts/tags follow it). */
  finalStates: FinalStateRow[];
  texts: TextRow[];
  tags: TagRow[];
}

/**
 * Turns operations into set-based rows. Texts and tags are written for the operation that
 * would end up in the row if nothing newer were already stored; the SQL only writes them
 * when the stored row after the upsert matches that operation's version, so a stale
 * operation never touches them and the FTS index always mirrors the winning document.
 */
export function planBatch(operations: readonly IndexOperation[]): BatchPlan {
  const items: ItemRow[] = [];
  const winners = new Map<string, IndexOperation>();
  for (const op of operations) {
    items.push(toItemRow(op));
    const key = itemKey(op);
    const current = winners.get(key);
    if (!current || supersedes(rowVersion(op), rowVersion(current))) winners.set(key, op);
  }
  const finalStates: FinalStateRow[] = [];
  const texts: TextRow[] = [];
  const tags: TagRow[] = [];
  for (const op of winners.values()) {
    const id = { w: op.workspaceId, t: op.itemType, i: op.itemId };
    finalStates.push({ ...id, v: op.version, d: op.op === "delete" ? 1 : 0 });
    if (op.op !== "upsert") continue;
    for (const text of op.document.texts) {
      texts.push({
        ...id,
        v: op.version,
        lang: text.lang,
        title: text.title,
        description: text.description,
        body: text.body,
      });
    }
    for (const tag of new Set(op.document.tags)) tags.push({ ...id, v: op.version, tag });
  }
  return { items, finalStates, texts, tags };
}

/**
 * Per-operation outcome from the rows the item upserts RETURNed (one per operation that changed
 * the table). A returned (item, version, deleted) belongs to the first operation with exactly
 * those values: versions never go down, so once such an operation is stale or applied, every
 * later identical one is stale.
 */
export function operationOutcomes(
  operations: readonly IndexOperation[],
  changed: readonly { w: string; t: string; i: string; v: number; d: number }[],
): ("applied" | "stale")[] {
  const pending = new Map<string, number>();
  for (const row of changed) {
    const key = `${itemKey({ workspaceId: row.w, itemType: row.t, itemId: row.i })}\u0000${row.v}\u0000${row.d}`;
    pending.set(key, (pending.get(key) ?? 0) + 1);
  }
  return operations.map((op) => {
    const key = `${itemKey(op)}\u0000${op.version}\u0000${op.op === "delete" ? 1 : 0}`;
    const count = pending.get(key) ?? 0;
    if (count === 0) return "stale";
    pending.set(key, count - 1);
    return "applied";
  });
}

function rowVersion(op: IndexOperation): RowVersion {
  return { version: op.version, deleted: op.op === "delete" };
}

function toItemRow(op: IndexOperation): ItemRow {
  const base = { w: op.workspaceId, t: op.itemType, i: op.itemId, v: op.version, ch: op.changedAt };
  if (op.op === "delete") {
    return { ...base, d: 1, s: "deleted", o: "", l: "", tg: "[]", mr: "[]", p: "{}", ca: "", ua: "" };
  }
  const doc = op.document;
  return {
    ...base,
    d: 0,
    s: doc.state,
    o: doc.origin,
    l: doc.defaultLang,
    tg: JSON.stringify(doc.tags),
    mr: JSON.stringify(doc.mediaRefs),
    p: JSON.stringify(doc.payload),
    ca: doc.createdAt,
    ua: doc.updatedAt,
  };
}
