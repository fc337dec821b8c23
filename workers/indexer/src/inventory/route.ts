import { catalogItemTypeSchema } from "@questline/contracts";
import { Hono } from "hono";
import { z } from "zod";
import { requireSignedRequest } from "../auth/require-signed-request";
import type { AppEnv } from "../env";
import { parseJsonBody } from "../parse-json-body";

const itemRefSchema = z.object({ itemType: catalogItemTypeSchema, itemId: z.string().min(1).max(64) });

/** Either a page of a workspace's rows (keyset on item type + id) or a lookup of given items. */
export const inventoryRequestSchema = z.object({
  workspaceId: z.string().regex(/^[A-Za-z0-9_-]{10}$/),
  after: itemRefSchema.optional(),
  limit: z.number().int().min(1).max(1000).default(500),
  items: z.array(itemRefSchema).min(1).max(1000).optional(),
});
export type InventoryRequest = z.input<typeof inventoryRequestSchema>;

export interface InventoryEntry {
  itemType: string;
  itemId: string;
  version: number;
  deleted: boolean;
}
export interface InventoryResponse {
  items: InventoryEntry[];
  /** Pass as `after` for the next page; null on the last page (and for lookups). */
  next: { itemType: string; itemId: string } | null;
}

interface InventoryRow {
  itemType: string;
  itemId: string;
  version: number;
  deleted: number;
}

const PAGE_SQL = `
SELECT item_type AS itemType, item_id AS itemId, version, deleted
FROM catalog_items
WHERE workspace_id = ?1 AND (item_type, item_id) > (?2, ?3)
ORDER BY item_type, item_id
LIMIT ?4`;

const LOOKUP_SQL = `
SELECT item_type AS itemType, item_id AS itemId, version, deleted
FROM catalog_items
WHERE workspace_id = ?1 AND (item_type, item_id) IN (
  SELECT j.value ->> 'itemType', j.value ->> 'itemId' FROM json_each(?2) AS j
)
ORDER BY item_type, item_id`;

/**
 * `POST /inventory` (signed) — ids, versions and tombstone flags of one workspace's index rows,
 * for the reconcile tool. Rows include tombstones so the caller can tell "deleted" from "missing".
 */
export const inventoryRoute = new Hono<AppEnv>().post("/", requireSignedRequest, async (c) => {
  const request = parseJsonBody(c.get("rawBody"), inventoryRequestSchema, "inventory request");
  if (request.items) {
    const { results } = await c.env.DB.prepare(LOOKUP_SQL)
      .bind(request.workspaceId, JSON.stringify(request.items))
      .all<InventoryRow>();
    return c.json<InventoryResponse>({ items: results.map(toEntry), next: null });
  }
  const { results } = await c.env.DB.prepare(PAGE_SQL)
    .bind(request.workspaceId, request.after?.itemType ?? "", request.after?.itemId ?? "", request.limit)
    .all<InventoryRow>();
  const last = results.at(-1);
  const next = results.length === request.limit && last ? { itemType: last.itemType, itemId: last.itemId } : null;
  return c.json<InventoryResponse>({ items: results.map(toEntry), next });
});

function toEntry(row: InventoryRow): InventoryEntry {
  return { itemType: row.itemType, itemId: row.itemId, version: row.version, deleted: row.deleted === 1 };
}
