import { z } from "zod";
import { contentStateSchema, langSchema } from "./common";

/**
 * The catalog item types the edge indexes in D1 for browsing and full-text search.
 * The AWS core marks each indexed DynamoDB item with `entityType` equal to one of these.
 */
export const CATALOG_ITEM_TYPES = [
  "learningPath",
  "learningGroup",
  "quiz",
  "slide",
  "activity",
  "badgeConfiguration",
  "missionConfiguration",
  "virtualCurrency",
  "media",
] as const;
export const catalogItemTypeSchema = z.enum(CATALOG_ITEM_TYPES);
export type CatalogItemType = z.infer<typeof catalogItemTypeSchema>;

export function isCatalogItemType(value: unknown): value is CatalogItemType {
  return typeof value === "string" && (CATALOG_ITEM_TYPES as readonly string[]).includes(value);
}

/** Per-language searchable text of one catalog item. */
export const catalogTextSchema = z.object({
  lang: langSchema,
  title: z.string().max(1_000),
  description: z.string().max(20_000).default(""),
  body: z.string().max(100_000).default(""),
});
export type CatalogText = z.infer<typeof catalogTextSchema>;

/** What the indexer stores for an item: searchable texts plus the fields browse endpoints return. */
export const catalogDocumentSchema = z.object({
  state: contentStateSchema,
  origin: z.enum(["CATALOG", "AI", "CUSTOM"]).default("CUSTOM"),
  defaultLang: langSchema,
  texts: z.array(catalogTextSchema).min(1).max(10),
  tags: z.array(z.string().max(128)).max(50).default([]),
  mediaRefs: z.array(z.string().max(256)).max(50).default([]),
  /** Display data for browse endpoints (never secrets such as a quiz's correct answer). */
  payload: z.record(z.string(), z.unknown()).default({}),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CatalogDocument = z.infer<typeof catalogDocumentSchema>;

const operationBase = {
  workspaceId: z.string().regex(/^[A-Za-z0-9_-]{10}$/),
  itemType: catalogItemTypeSchema,
  itemId: z.string().min(1).max(64),
  /** Monotonic per item; the indexer discards anything not newer than what it holds. */
  version: z.number().int().nonnegative(),
  /** When the change was made in DynamoDB (stream ApproximateCreationDateTime), epoch ms. */
  changedAt: z.number().int().nonnegative(),
  /** Stream sequence number, so the indexer can report per-record results. */
  sequenceNumber: z.string().max(64),
};

export const indexOperationSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("upsert"), ...operationBase, document: catalogDocumentSchema }),
  z.object({ op: z.literal("delete"), ...operationBase }),
]);
export type IndexOperation = z.infer<typeof indexOperationSchema>;

export const INDEX_BATCH_MAX_OPERATIONS = 1_000;

export const indexBatchSchema = z.object({
  operations: z.array(indexOperationSchema).min(1).max(INDEX_BATCH_MAX_OPERATIONS),
});
export type IndexBatch = z.infer<typeof indexBatchSchema>;

/** Per-operation outcome: `applied` (changed D1), `stale` (an equal or newer version was already there). */
export const indexResultSchema = z.object({
  sequenceNumber: z.string(),
  status: z.enum(["applied", "stale", "failed"]),
  error: z.string().optional(),
});
export const indexBatchResponseSchema = z.object({ results: z.array(indexResultSchema) });
export type IndexBatchResponse = z.infer<typeof indexBatchResponseSchema>;

/** Signing scope for core → indexer batches (a dedicated key pair, not the edge's AWS credentials). */
export const INDEXER_SIGNING = { service: "questline-indexer", region: "edge" } as const;
export const INDEXER_BATCH_PATH = "/batches";
