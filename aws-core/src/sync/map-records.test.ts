import { newWorkspaceId } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { indexedImage, streamRecord } from "../../test/support/stream-records";
import { changedAtMillis, changeTimeMillis, toIndexOperation } from "./map-records";

const ws = newWorkspaceId();

describe("toIndexOperation", () => {
  it("maps INSERT to an upsert with version, catalog document and changedAt in ms", () => {
    const image = indexedImage(ws, "lp1", 1);
    const op = toIndexOperation(streamRecord("INSERT", "100", { newImage: image }, 1_760_000_000));
    expect(op).toEqual({
      op: "upsert",
      workspaceId: ws,
      itemType: "learningPath",
      itemId: "lp1",
      version: 1,
      changedAt: 1_760_000_000_000,
      sequenceNumber: "100",
      document: image.catalog,
    });
  });

  it("maps MODIFY to an upsert of the new image", () => {
    const op = toIndexOperation(
      streamRecord("MODIFY", "101", {
        oldImage: indexedImage(ws, "lp1", 1),
        newImage: indexedImage(ws, "lp1", 2, "New"),
      }),
    );
    expect(op).toMatchObject({ op: "upsert", version: 2, document: { texts: [{ title: "New" }] } });
  });

  it("maps REMOVE to a delete with the old version + 1", () => {
    const op = toIndexOperation(streamRecord("REMOVE", "102", { oldImage: indexedImage(ws, "lp1", 3) }));
    expect(op).toEqual({
      op: "delete",
      workspaceId: ws,
      itemType: "learningPath",
      itemId: "lp1",
      version: 4,
      changedAt: 1_760_000_000_000,
      sequenceNumber: "102",
    });
  });

  it("ignores items that are not catalog-indexed", () => {
    const wallet = { pk: `WS#${ws}`, sk: "WALLET#u1#XP", amount: 3 };
    expect(toIndexOperation(streamRecord("INSERT", "103", { newImage: wallet }))).toBeNull();
    const unknownType = { ...indexedImage(ws, "x", 1), entityType: "wallet" };
    expect(toIndexOperation(streamRecord("MODIFY", "104", { newImage: unknownType }))).toBeNull();
    const noCatalog = { ...indexedImage(ws, "x", 1), catalog: undefined };
    expect(toIndexOperation(streamRecord("INSERT", "105", { newImage: noCatalog }))).toBeNull();
  });

  it("skips an indexed item whose catalog document breaks the contract", () => {
    const broken = indexedImage(ws, "lp9", 1);
    broken.catalog.texts = [];
    expect(toIndexOperation(streamRecord("INSERT", "106", { newImage: broken }))).toBeNull();
  });

  it("accepts epoch seconds, Dates and ISO strings for ApproximateCreationDateTime", () => {
    expect(changedAtMillis(1_700_000_000)).toBe(1_700_000_000_000);
    expect(changedAtMillis(new Date(1_700_000_000_123))).toBe(1_700_000_000_123);
    expect(changedAtMillis("2023-11-14T22:13:20.000Z")).toBe(1_700_000_000_000);
  });

  it("refines the truncated stream time with the item's updatedAt, only inside the truncation window", () => {
    const minute = 1_760_000_040; // epoch seconds, truncated to the minute as DynamoDB Local does
    expect(changeTimeMillis(minute, new Date(minute * 1000 + 37_123).toISOString())).toBe(minute * 1000 + 37_123);
    expect(changeTimeMillis(minute, new Date(minute * 1000 - 5_000).toISOString())).toBe(minute * 1000);
    expect(changeTimeMillis(minute, new Date(minute * 1000 + 3_600_000).toISOString())).toBe(minute * 1000);
    expect(changeTimeMillis(minute, undefined)).toBe(minute * 1000);
  });
});
