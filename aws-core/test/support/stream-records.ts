import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord, DynamoDBStreamEvent, AttributeValue as LambdaAttributeValue } from "aws-lambda";

/** Builds Lambda-shaped stream records (epoch-seconds ApproximateCreationDateTime, ARN filled in). */
export function streamRecord(
  eventName: "INSERT" | "MODIFY" | "REMOVE",
  sequenceNumber: string,
  images: { newImage?: Record<string, unknown>; oldImage?: Record<string, unknown> },
  approximateCreationDateTime = 1_760_000_000,
): DynamoDBRecord {
  const toImage = (image: Record<string, unknown>) =>
    marshall(image, { removeUndefinedValues: true }) as Record<string, AttributeValue> as Record<
      string,
      LambdaAttributeValue
    >;
  const key = images.newImage ?? images.oldImage ?? {};
  return {
    eventID: `evt-${sequenceNumber}`,
    eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "eu-west-1",
    eventSourceARN: "arn:aws:dynamodb:eu-west-1:000000000000:table/questline/stream/2026-01-01T00:00:00.000",
    dynamodb: {
      ApproximateCreationDateTime: approximateCreationDateTime,
      Keys: toImage({ pk: key.pk, sk: key.sk }),
      ...(images.newImage ? { NewImage: toImage(images.newImage) } : {}),
      ...(images.oldImage ? { OldImage: toImage(images.oldImage) } : {}),
      SequenceNumber: sequenceNumber,
      SizeBytes: 100,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
  };
}

export function streamEvent(records: DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: records };
}

/** A versioned catalog item image as db/versioned.ts stores it. */
export function indexedImage(workspaceId: string, entityId: string, version: number, title = "Title") {
  const at = "2026-01-01T00:00:00.000Z";
  return {
    pk: `WS#${workspaceId}`,
    sk: `LP#${entityId}`,
    workspaceId,
    entityType: "learningPath",
    entityId,
    version,
    createdAt: at,
    updatedAt: at,
    catalog: {
      state: "DRAFT",
      origin: "CUSTOM",
      defaultLang: "en",
      texts: [{ lang: "en", title, description: "", body: "" }],
      tags: [],
      mediaRefs: [],
      payload: {},
      createdAt: at,
      updatedAt: at,
    },
    data: { title },
  };
}
