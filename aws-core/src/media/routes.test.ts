import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { catalogDocumentSchema, mediaSchema } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { identityHeaders, jsonRequest } from "../../test/support/identity";
import { createApp } from "../app/create-app";
import { documentDb, tableName } from "../db/client";

const app = createApp();

function mediaBody(workspaceId: string, mediaId = "Xg7mediaIdAAAAAAAAAAA") {
  return {
    mediaId,
    key: `${workspaceId}/public/${mediaId}/badge.png`,
    fileName: "badge.png",
    originalFileName: "Badge (gold).png",
    contentType: "image/png",
    fileType: "image",
    visibility: "public",
    fileSize: 4096,
    sha256: "a".repeat(64),
    width: 128,
    height: 128,
    tags: ["badges"],
    translations: [
      { lang: "en", label: "Gold badge" },
      { lang: "it", label: "Medaglia d'oro", description: "Per i migliori" },
    ],
  };
}

describe("/dashboard/media (core)", () => {
  it("stores a versioned Media item with its catalog document", async () => {
    const headers = identityHeaders();
    const ws = headers["x-ql-workspace-id"] as string;
    const res = await app.request("/dashboard/media", jsonRequest("POST", headers, mediaBody(ws)));
    expect(res.status).toBe(201);
    const media = mediaSchema.parse(await res.json());
    expect(media).toMatchObject({ workspaceId: ws, version: 1, width: 128 });

    const stored = await documentDb().send(
      new GetCommand({ TableName: tableName(), Key: { pk: `WS#${ws}`, sk: `MEDIA#${media.mediaId}` } }),
    );
    expect(stored.Item).toMatchObject({ entityType: "media", entityId: media.mediaId, version: 1 });
    const catalog = catalogDocumentSchema.parse(stored.Item?.catalog);
    expect(catalog.texts.map((t) => t.title)).toEqual(["Gold badge", "Medaglia d'oro"]);
    expect(catalog.mediaRefs).toEqual([media.key]);
    expect(catalog.payload).toMatchObject({ contentType: "image/png", fileSize: 4096 });

    const got = await app.request(`/dashboard/media/${media.mediaId}`, { headers });
    expect((await got.json()).sha256).toBe("a".repeat(64));
  });

  it("refuses a key outside the caller's workspace", async () => {
    const headers = identityHeaders();
    const res = await app.request("/dashboard/media", jsonRequest("POST", headers, mediaBody("otherWsAAA")));
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("request.validation_failed");
  });

  it("refuses viewers (403) and is invisible to other workspaces (404)", async () => {
    const headers = identityHeaders();
    const ws = headers["x-ql-workspace-id"] as string;
    const viewer = { ...headers, "x-ql-role": "viewer" };
    expect((await app.request("/dashboard/media", jsonRequest("POST", viewer, mediaBody(ws)))).status).toBe(403);
    await app.request("/dashboard/media", jsonRequest("POST", headers, mediaBody(ws)));
    const other = identityHeaders();
    expect((await app.request("/dashboard/media/Xg7mediaIdAAAAAAAAAAA", { headers: other })).status).toBe(404);
  });

  it("updates translations as a new version and deletes the entity", async () => {
    const headers = identityHeaders();
    const ws = headers["x-ql-workspace-id"] as string;
    await app.request("/dashboard/media", jsonRequest("POST", headers, mediaBody(ws)));
    const patched = await app.request(
      "/dashboard/media/Xg7mediaIdAAAAAAAAAAA",
      jsonRequest("PATCH", headers, { translations: [{ lang: "en", label: "Golden" }] }),
    );
    expect(await patched.json()).toMatchObject({ version: 2, translations: [{ lang: "en", label: "Golden" }] });
    const deleted = await app.request("/dashboard/media/Xg7mediaIdAAAAAAAAAAA", { method: "DELETE", headers });
    expect(await deleted.json()).toEqual({ mediaId: "Xg7mediaIdAAAAAAAAAAA", deleted: true });
    expect((await app.request("/dashboard/media/Xg7mediaIdAAAAAAAAAAA", { method: "DELETE", headers })).status).toBe(
      404,
    );
  });
});
