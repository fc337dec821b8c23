import { type AttributeValue, ScanCommand } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { type IndexOperation, indexOperationSchema, isCatalogItemType } from "@questline/contracts";
import { dynamoClient, tableName } from "../db/client";
import { PK } from "../db/keys";

export type ScanKey = Record<string, AttributeValue>;

/** Which items a tool looks at: one workspace, or every workspace. */
export type Scope = { workspaceId: string } | { all: true };

export interface CatalogScanPage {
  segment: number;
  /** Catalog-indexed items of the page (others are filtered out). */
  items: Record<string, unknown>[];
  /** Resume point of this segment after this page; undefined when the segment is done. */
  lastEvaluatedKey: ScanKey | undefined;
}

/**
 * Scans one segment of a parallel scan for catalog-indexed items (`catalog` present, `pk`
 * of the workspace or any workspace), from `startKey`, page by page.
 */
export async function* scanCatalogSegment(
  scope: Scope,
  segment: number,
  totalSegments: number,
  startKey?: ScanKey,
  pageSize = 500,
): AsyncGenerator<CatalogScanPage> {
  let exclusiveStartKey = startKey;
  do {
    const out = await dynamoClient().send(
      new ScanCommand({
        TableName: tableName(),
        Segment: segment,
        TotalSegments: totalSegments,
        Limit: pageSize,
        ConsistentRead: true,
        ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
        ...("workspaceId" in scope
          ? {
              FilterExpression: "pk = :pk AND attribute_exists(#catalog)",
              ExpressionAttributeNames: { "#catalog": "catalog" },
              ExpressionAttributeValues: { ":pk": { S: PK.workspace(scope.workspaceId) } },
            }
          : {
              FilterExpression: "begins_with(pk, :prefix) AND attribute_exists(#catalog)",
              ExpressionAttributeNames: { "#catalog": "catalog" },
              ExpressionAttributeValues: { ":prefix": { S: PK.workspace("") } },
            }),
      }),
    );
    exclusiveStartKey = out.LastEvaluatedKey;
    const items = (out.Items ?? []).map((raw) => unmarshall(raw)).filter((item) => isCatalogItemType(item.entityType));
    yield { segment, items, lastEvaluatedKey: exclusiveStartKey };
  } while (exclusiveStartKey);
}

/**
 * The upsert the stream handler would send for an item's current image (same mapping as
 * src/sync/map-records.ts), or null when the item breaks the index contract (the handler
 * skips those too). `changedAt` is the item's `updatedAt`.
 */
export function itemToUpsert(item: Record<string, unknown>, sequenceNumber: string): IndexOperation | null {
  const changedAt = typeof item.updatedAt === "string" ? Date.parse(item.updatedAt) : Number.NaN;
  const parsed = indexOperationSchema.safeParse({
    op: "upsert",
    workspaceId: item.workspaceId,
    itemType: item.entityType,
    itemId: item.entityId,
    version: item.version,
    changedAt: Number.isNaN(changedAt) ? Date.now() : changedAt,
    sequenceNumber,
    document: item.catalog,
  });
  return parsed.success ? parsed.data : null;
}
