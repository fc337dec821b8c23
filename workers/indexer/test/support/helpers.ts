import { env, exports } from "cloudflare:workers";
import { INDEXER_SIGNING, type IndexBatchResponse, type IndexOperation } from "@questline/contracts";
import { AwsClient } from "aws4fetch";

export const WS_A = "wsAAAAAAAA";
export const WS_B = "wsBBBBBBBB";
export const ORIGIN = "https://indexer.test";

let seq = 0;
export function nextSequence(): string {
  seq += 1;
  return String(seq).padStart(21, "0");
}

export function upsert(
  itemId: string,
  version: number,
  overrides: { workspaceId?: string; title?: string; tags?: string[]; body?: string; changedAt?: number } = {},
): IndexOperation {
  const title = overrides.title ?? `Item ${itemId} v${version}`;
  return {
    op: "upsert",
    workspaceId: overrides.workspaceId ?? WS_A,
    itemType: "quiz",
    itemId,
    version,
    changedAt: overrides.changedAt ?? Date.now(),
    sequenceNumber: nextSequence(),
    document: {
      state: "PUBLISHED",
      origin: "CUSTOM",
      defaultLang: "en",
      texts: [{ lang: "en", title, description: `about ${title}`, body: overrides.body ?? "" }],
      tags: overrides.tags ?? ["t1"],
      mediaRefs: [],
      payload: { n: version },
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-02T00:00:00.000Z",
    },
  } as IndexOperation;
}

export function remove(itemId: string, version: number, workspaceId = WS_A): IndexOperation {
  return {
    op: "delete",
    workspaceId,
    itemType: "quiz",
    itemId,
    version,
    changedAt: Date.now(),
    sequenceNumber: nextSequence(),
  };
}

export function signer(overrides: { accessKeyId?: string; secretAccessKey?: string } = {}): AwsClient {
  return new AwsClient({
    accessKeyId: overrides.accessKeyId ?? env.INDEXER_ACCESS_KEY_ID,
    secretAccessKey: overrides.secretAccessKey ?? env.INDEXER_SECRET_ACCESS_KEY,
    service: INDEXER_SIGNING.service,
    region: INDEXER_SIGNING.region,
    retries: 0,
  });
}

export async function signedPost(path: string, body: unknown, client = signer()): Promise<Response> {
  const request = await client.sign(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return exports.default.fetch(request);
}

export async function postBatch(operations: IndexOperation[], path = "/batches"): Promise<IndexBatchResponse> {
  const response = await signedPost(path, { operations });
  if (response.status !== 200) throw new Error(`POST ${path} → ${response.status}: ${await response.text()}`);
  return response.json<IndexBatchResponse>();
}

export interface StoredItem {
  item_id: string;
  version: number;
  deleted: number;
  state: string;
  tags: string;
}

export async function storedItem(itemId: string, workspaceId = WS_A): Promise<StoredItem | null> {
  return env.DB.prepare(
    "SELECT item_id, version, deleted, state, tags FROM catalog_items WHERE workspace_id = ? AND item_type = 'quiz' AND item_id = ?",
  )
    .bind(workspaceId, itemId)
    .first<StoredItem>();
}

export async function storedTitles(itemId: string, workspaceId = WS_A): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT title FROM catalog_texts WHERE workspace_id = ? AND item_id = ? ORDER BY rowid",
  )
    .bind(workspaceId, itemId)
    .all<{ title: string }>();
  return results.map((r) => r.title);
}

export async function storedTags(itemId: string, workspaceId = WS_A): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT tag FROM catalog_tags WHERE workspace_id = ? AND item_id = ? ORDER BY tag",
  )
    .bind(workspaceId, itemId)
    .all<{ tag: string }>();
  return results.map((r) => r.tag);
}

/** Item ids whose text matches an FTS query inside one workspace (what catalog search sees). */
export async function searchIds(query: string, workspaceId = WS_A): Promise<string[]> {
  const wsToken = `w${[...new TextEncoder().encode(workspaceId)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
  const { results } = await env.DB.prepare(
    `SELECT t.item_id FROM catalog_fts JOIN catalog_texts t ON t.rowid = catalog_fts.rowid
     WHERE catalog_fts MATCH ? ORDER BY t.item_id`,
  )
    .bind(`ws_token:${wsToken} AND (${query})`)
    .all<{ item_id: string }>();
  return results.map((r) => r.item_id);
}

/** FTS integrity check: throws (SQLITE_CORRUPT_VTAB) if the FTS index and catalog_texts disagree. */
export async function assertFtsConsistent(): Promise<void> {
  await env.DB.prepare("INSERT INTO catalog_fts(catalog_fts, rank) VALUES ('integrity-check', 1)").run();
}
