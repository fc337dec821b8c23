import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { catalogDocumentSchema, mediaSchema } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { viaGateway } from "../../test/support/gateway";
import { identityHeaders, jsonRequest, TEST_ACCOUNT_ID } from "../../test/support/identity";
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

/** The media worker's own call: signed with its principal, through the gateway. */
async function asMediaWorker(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const identity = {
    accountId: headers["x-ql-account-id"],
    workspaceId: headers["x-ql-workspace-id"] as string,
    context: "dashboard" as const,
    role: (headers["x-ql-role"] ?? "editor") as "editor",
  };
  return viaGateway({ as: "media", method, path, identity, body });
}

describe("/dashboard/media (core)", () => {
  it("stores a versioned Media item with its catalog document", async () => {
    const headers = identityHeaders();
    const ws = headers["x-ql-workspace-id"] as string;
    const res = await asMediaWorker("POST", "/dashboard/media", headers, mediaBody(ws));
    expect(res.status, res.text).toBe(201);
    const media = mediaSchema.parse(res.body);
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
    const res = await asMediaWorker("POST", "/dashboard/media", headers, mediaBody("otherWsAAA"));
    expect(res.status).toBe(400);
    expect((res.body as { error: { code: string } }).error.code).toBe("request.validation_failed");
  });

  it("refuses a key that is not canonical: traversal, dot or empty segments, backslashes, encoding (400)", async () => {
    const headers = identityHeaders();
    const ws = headers["x-ql-workspace-id"] as string;
    const id = "Xg7mediaIdAAAAAAAAAAA";
    const keys = [
      `${ws}/public/${id}/../../../otherWsAAA/public/${id}/x.png`,
      `${ws}/public/${id}/./badge.png`,
      `${ws}/public/${id}//badge.png`,
      `${ws}/public/${id}/sub/badge.png`,
      `${ws}\\public\\${id}\\badge.png`,
      `${ws}/public/${id}/..%2F..%2Fbadge.png`,
      `${ws}/public/${id}%2Fbadge.png`,
      `${ws}/private/${id}/badge.png`,
      `${ws}/public/${id}/other.png`,
      `${ws}/public/other${id}/badge.png`,
      `/${ws}/public/${id}/badge.png`,
    ];
    for (const key of keys) {
      const res = await asMediaWorker("POST", "/dashboard/media", headers, { ...mediaBody(ws, id), key });
      expect(res.status, key).toBe(400);
      expect((res.body as { error: { code: string } }).error.code, key).toBe("request.validation_failed");
    }
  });

  it("refuses media records from anyone but the media worker: the api worker's principal, in-process (403)", async () => {
    const headers = identityHeaders();
    const ws = headers["x-ql-workspace-id"] as string;
    const identity = { workspaceId: ws, context: "dashboard" as const, role: "editor" as const };
    // An editor's POST /dashboard/media forwarded by the api worker arrives signed by the api principal.
    const forwarded = await viaGateway({
      as: "api",
      method: "POST",
      path: "/dashboard/media",
      identity,
      body: mediaBody(ws),
    });
    expect(forwarded.status).toBe(403);
    expect((forwarded.body as { error: { code: string } }).error.code).toBe("auth.forbidden");
    const inProcess = await app.request("/dashboard/media", jsonRequest("POST", headers, mediaBody(ws)));
    expect(inProcess.status).toBe(403);
    // Nothing was stored, so nothing will be indexed.
    expect((await app.request("/dashboard/media/Xg7mediaIdAAAAAAAAAAA", { headers })).status).toBe(404);
    // Deleting goes through the media worker too (it removes the object as well).
    expect((await asMediaWorker("POST", "/dashboard/media", headers, mediaBody(ws))).status).toBe(201);
    const del = await viaGateway({
      as: "api",
      method: "DELETE",
      path: "/dashboard/media/Xg7mediaIdAAAAAAAAAAA",
      identity,
    });
    expect(del.status).toBe(403);
    // Reads and metadata edits stay open to the dashboard through the api worker.
    const read = await viaGateway({
      as: "api",
      method: "GET",
      path: "/dashboard/media/Xg7mediaIdAAAAAAAAAAA",
      identity,
    });
    expect(read.status).toBe(200);
  });

  it("refuses viewers (403) and is invisible to other workspaces (404)", async () => {
    const headers = identityHeaders();
    const ws = headers["x-ql-workspace-id"] as string;
    const viewer = { ...headers, "x-ql-role": "viewer" };
    expect((await asMediaWorker("POST", "/dashboard/media", viewer, mediaBody(ws))).status).toBe(403);
    await asMediaWorker("POST", "/dashboard/media", headers, mediaBody(ws));
    const other = identityHeaders();
    expect((await app.request("/dashboard/media/Xg7mediaIdAAAAAAAAAAA", { headers: other })).status).toBe(404);
  });

  it("the media library shows each record with its owner, scope, url and translations as the reference lists them", async () => {
    const headers = identityHeaders();
    const ws = headers["x-ql-workspace-id"] as string;
    await asMediaWorker("POST", "/dashboard/media", headers, mediaBody(ws));
    const res = await app.request("/dashboard/media/Xg7mediaIdAAAAAAAAAAA", { headers });
    const record = (await res.json()) as Record<string, unknown>;
    const owner = { accountId: TEST_ACCOUNT_ID, workspaceId: ws, sourceRegion: process.env.AWS_REGION ?? "eu-west-1" };
    expect(record).toMatchObject({ mediaId: "Xg7mediaIdAAAAAAAAAAA", scope: "workspace", ...owner });
    // Its delivery URL on the media host (media/public-url; the test setup names one).
    expect(record.url).toBe(`https://media.questline.test/files/${String(record.key)}`);
    expect(String(record.key).startsWith(`${ws}/`)).toBe(true);
    const stamps = { createdAt: record.createdAt, updatedAt: record.updatedAt };
    expect(record.translations).toEqual([
      { mediaId: "Xg7mediaIdAAAAAAAAAAA", lang: "en", label: "Gold badge", ...owner, ...stamps },
      {
        mediaId: "Xg7mediaIdAAAAAAAAAAA",
        lang: "it",
        label: "Medaglia d'oro",
        description: "Per i migliori",
        ...owner,
        ...stamps,
      },
    ]);
    const list = (await (await app.request("/dashboard/media", { headers })).json()) as { items: unknown[] };
    expect(list.items).toEqual([record]);
  });

  it("updates translations as a new version and deletes the entity", async () => {
    const headers = identityHeaders();
    const ws = headers["x-ql-workspace-id"] as string;
    await asMediaWorker("POST", "/dashboard/media", headers, mediaBody(ws));
    const patched = await app.request(
      "/dashboard/media/Xg7mediaIdAAAAAAAAAAA",
      jsonRequest("PATCH", headers, { translations: [{ lang: "en", label: "Golden" }] }),
    );
    expect(await patched.json()).toMatchObject({ version: 2, translations: [{ lang: "en", label: "Golden" }] });
    const deleted = await asMediaWorker("DELETE", "/dashboard/media/Xg7mediaIdAAAAAAAAAAA", headers);
    expect(deleted.body).toEqual({ mediaId: "Xg7mediaIdAAAAAAAAAAA", deleted: true });
    expect((await asMediaWorker("DELETE", "/dashboard/media/Xg7mediaIdAAAAAAAAAAA", headers)).status).toBe(404);
  });
});
