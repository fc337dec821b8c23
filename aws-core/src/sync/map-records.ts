import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { type IndexOperation, indexOperationSchema, isCatalogItemType } from "@questline/contracts";
import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from "aws-lambda";
import { logger } from "../logging";

type Image = Record<string, unknown>;

function imageOf(raw: Record<string, LambdaAttributeValue> | undefined): Image | undefined {
  return raw ? (unmarshall(raw as Record<string, AttributeValue>) as Image) : undefined;
}

/** An item stored through db/versioned.ts: it has an indexed `entityType` and a `catalog` document. */
function isIndexedItem(image: Image | undefined): image is Image {
  return image !== undefined && isCatalogItemType(image.entityType) && typeof image.catalog === "object";
}

/**
 * `ApproximateCreationDateTime` is epoch seconds in Lambda events; the SDK (a local poller)
 * returns a Date. Both become epoch milliseconds.
 */
export function changedAtMillis(value: unknown): number {
  if (typeof value === "number") return Math.round(value * 1000);
  if (value instanceof Date) return value.getTime();
  if (typeof value === "string") {
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  return Date.now();
}

/**
 * When the change was made. The stream's `ApproximateCreationDateTime` is truncated (to the
 * second by DynamoDB, to the minute by DynamoDB Local), which would overstate the lag; the
 * item's own `updatedAt`, written with the change, refines it when it falls inside that
 * truncation window (never trusted outside it, so a skewed clock cannot distort the metric).
 */
export function changeTimeMillis(approximate: unknown, updatedAt: unknown): number {
  const floor = changedAtMillis(approximate);
  const exact = typeof updatedAt === "string" ? Date.parse(updatedAt) : Number.NaN;
  return exact >= floor && exact < floor + 60_000 ? exact : floor;
}

/**
 * Maps one stream record to an index operation, or null when the record is not about a
 * catalog-indexed item (acknowledged without being sent). INSERT/MODIFY → upsert with the
 * item's version and catalog document; REMOVE → delete with the old version + 1.
 * A record that claims to be indexed but fails the contract is logged and skipped: retrying
 * cannot fix it (db/versioned.ts validates the document on write, so this is a bug signal).
 */
export function toIndexOperation(record: DynamoDBRecord): IndexOperation | null {
  const stream = record.dynamodb;
  if (!stream?.SequenceNumber) return null;
  const isRemove = record.eventName === "REMOVE";
  const image = imageOf(isRemove ? stream.OldImage : stream.NewImage);
  if (!isIndexedItem(image)) return null;

  const base = {
    workspaceId: image.workspaceId,
    itemType: image.entityType,
    itemId: image.entityId,
    changedAt: isRemove
      ? changedAtMillis(stream.ApproximateCreationDateTime)
      : changeTimeMillis(stream.ApproximateCreationDateTime, image.updatedAt),
    sequenceNumber: stream.SequenceNumber,
  };
  const candidate = isRemove
    ? { op: "delete", ...base, version: Number(image.version) + 1 }
    : { op: "upsert", ...base, version: image.version, document: image.catalog };
  const parsed = indexOperationSchema.safeParse(candidate);
  if (!parsed.success) {
    logger.error("skipping an indexed stream record that breaks the index contract", {
      sequenceNumber: stream.SequenceNumber,
      issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    });
    return null;
  }
  return parsed.data;
}
