import { describe, expect, it } from "vitest";
import { postBatch, remove, signedPost, upsert, WS_A, WS_B } from "../../test/support/helpers";
import type { InventoryResponse } from "./route";

async function inventory(body: unknown): Promise<InventoryResponse> {
  const response = await signedPost("/inventory", body);
  expect(response.status).toBe(200);
  return response.json<InventoryResponse>();
}

describe("POST /inventory", () => {
  it("pages through one workspace's rows, tombstones included", async () => {
    await postBatch([
      ...Array.from({ length: 5 }, (_, n) => upsert(`i${n}`, n + 1)),
      remove("i2", 9),
      upsert("other", 1, { workspaceId: WS_B }),
    ]);
    const first = await inventory({ workspaceId: WS_A, limit: 3 });
    expect(first.items.map((i) => i.itemId)).toEqual(["i0", "i1", "i2"]);
    expect(first.items[2]).toEqual({ itemType: "quiz", itemId: "i2", version: 9, deleted: true });
    expect(first.next).toEqual({ itemType: "quiz", itemId: "i2" });
    const second = await inventory({ workspaceId: WS_A, limit: 3, after: first.next });
    expect(second.items.map((i) => [i.itemId, i.version])).toEqual([
      ["i3", 4],
      ["i4", 5],
    ]);
    expect(second.next).toBeNull();
  });

  it("looks up given items", async () => {
    await postBatch([upsert("a", 2), upsert("b", 3)]);
    const found = await inventory({
      workspaceId: WS_A,
      items: [
        { itemType: "quiz", itemId: "b" },
        { itemType: "quiz", itemId: "missing" },
      ],
    });
    expect(found.items).toEqual([{ itemType: "quiz", itemId: "b", version: 3, deleted: false }]);
  });

  it("rejects a request without a valid workspace id", async () => {
    expect((await signedPost("/inventory", { workspaceId: "nope" })).status).toBe(400);
  });
});
