import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { authed, call, coreCalls, listKeys, png, sha256Hex, token, WS } from "../../test/support/helpers";
import { cleanupAbandonedUploads } from "./cleanup";

const MIB = 1024 * 1024;
const FILE_SIZE = 11 * MIB; // parts of 5 MiB, 5 MiB, 1 MiB

interface Created {
  mediaId: string;
  key: string;
  partSize: number;
  partCount: number;
}

async function create(body: Record<string, unknown> = {}): Promise<Created> {
  const res = await authed("/dashboard/media/multipart", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ fileName: "Big Video.png", fileSize: FILE_SIZE, contentType: "image/png", ...body }),
  });
  expect(res.status).toBe(201);
  return res.json();
}

function part(file: Uint8Array, created: Created, n: number): Uint8Array {
  return file.subarray((n - 1) * created.partSize, Math.min(file.length, n * created.partSize));
}

async function putPart(created: Created, n: number, bytes: Uint8Array, headers: Record<string, string> = {}) {
  return authed(`/dashboard/media/multipart/${created.mediaId}/parts/${n}`, {
    method: "PUT",
    body: bytes,
    headers: { "content-length": String(bytes.byteLength), ...headers },
  });
}

describe("multipart upload", () => {
  it("parts out of order, then complete: one object, the same bytes, the entity recorded", async () => {
    const file = png(FILE_SIZE, 1920, 1080);
    const created = await create({ sha256: await sha256Hex(file), tags: ["video"] });
    expect(created).toMatchObject({ partSize: 5 * MIB, partCount: 3 });
    for (const n of [3, 1, 2]) {
      const res = await putPart(created, n, part(file, created, n));
      expect(res.status, `part ${n}`).toBe(200);
    }
    const done = await authed(`/dashboard/media/multipart/${created.mediaId}/complete`, { method: "POST" });
    expect(done.status).toBe(201);
    const media = (await done.json()) as Record<string, unknown>;
    expect(media).toMatchObject({ key: created.key, fileSize: FILE_SIZE, width: 1920, height: 1080, tags: ["video"] });
    const read = await call(`/files/${created.key}`, { headers: { authorization: `Bearer ${await token()}` } });
    expect(read.status).toBe(200);
    expect(await sha256Hex(new Uint8Array(await read.arrayBuffer()))).toBe(await sha256Hex(file));
    const ranged = await call(`/files/${created.key}`, {
      headers: { authorization: `Bearer ${await token()}`, range: `bytes=${5 * MIB - 2}-${5 * MIB + 1}` },
    });
    expect(ranged.status).toBe(206);
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(file.slice(5 * MIB - 2, 5 * MIB + 2));
    expect((await coreCalls()).filter((c) => c.method === "POST")).toHaveLength(1);
    expect(await listKeys("_multipart/")).toEqual([]);
  });

  it("an SVG uploaded in parts is served as an attachment, as a single-request upload is (#14)", async () => {
    const svg = new TextEncoder().encode(
      `<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>${" ".repeat(64)}`,
    );
    const created = await create({ fileName: "logo.svg", fileSize: svg.byteLength, contentType: "image/svg+xml" });
    expect(created.partCount).toBe(1);
    expect((await putPart(created, 1, svg)).status).toBe(200);
    const done = await authed(`/dashboard/media/multipart/${created.mediaId}/complete`, { method: "POST" });
    expect(done.status).toBe(201);
    const read = await call(`/files/${created.key}`, { headers: { authorization: `Bearer ${await token()}` } });
    expect(read.status).toBe(200);
    expect(read.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(read.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await read.arrayBuffer())).toEqual(svg);
  });

  it("resume: the session lists uploaded and missing parts; a part can be sent again", async () => {
    const file = png(FILE_SIZE);
    const created = await create();
    await putPart(created, 2, part(file, created, 2));
    const state = await authed(`/dashboard/media/multipart/${created.mediaId}`);
    expect(state.status).toBe(200);
    const body = (await state.json()) as { parts: { partNumber: number; size: number }[]; missingParts: number[] };
    expect(body.parts.map((p) => [p.partNumber, p.size])).toEqual([[2, 5 * MIB]]);
    expect(body.missingParts).toEqual([1, 3]);
    for (const n of [1, 2, 3]) expect((await putPart(created, n, part(file, created, n))).status).toBe(200);
    const done = await authed(`/dashboard/media/multipart/${created.mediaId}/complete`, { method: "POST" });
    expect(done.status).toBe(201);
  });

  it("complete with a missing part → 400 naming it; nothing visible", async () => {
    const file = png(FILE_SIZE);
    const created = await create();
    await putPart(created, 1, part(file, created, 1));
    await putPart(created, 3, part(file, created, 3));
    const res = await authed(`/dashboard/media/multipart/${created.mediaId}/complete`, { method: "POST" });
    expect(res.status).toBe(400);
    const error = ((await res.json()) as { error: { details: { path: string }[] } }).error;
    expect(error.details.map((d) => d.path)).toEqual(["parts.2"]);
    expect(await env.MEDIA.head(created.key)).toBeNull();
  });

  it("abort removes the upload and its bookkeeping", async () => {
    const file = png(FILE_SIZE);
    const created = await create();
    await putPart(created, 1, part(file, created, 1));
    const res = await authed(`/dashboard/media/multipart/${created.mediaId}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(await listKeys("_multipart/")).toEqual([]);
    expect((await authed(`/dashboard/media/multipart/${created.mediaId}`)).status).toBe(404);
    expect((await putPart(created, 2, part(file, created, 2))).status).toBe(404);
  });

  it("part 1 must carry the declared type's magic bytes → 415 otherwise", async () => {
    const created = await create();
    const fake = new Uint8Array(5 * MIB).fill(0x41);
    fake.set(new TextEncoder().encode("<html><script>"));
    const res = await putPart(created, 1, fake);
    expect(res.status).toBe(415);
    const state = (await (await authed(`/dashboard/media/multipart/${created.mediaId}`)).json()) as {
      parts: unknown[];
    };
    expect(state.parts).toEqual([]);
  });

  it("parts must have the server's size; bad part numbers and per-part checksums are refused", async () => {
    const file = png(FILE_SIZE);
    const created = await create();
    expect((await putPart(created, 2, file.subarray(0, MIB))).status).toBe(400);
    expect((await putPart(created, 3, file.subarray(0, 2 * MIB))).status).toBe(413);
    expect((await putPart(created, 4, file.subarray(0, MIB))).status).toBe(400);
    expect((await putPart(created, 0, file.subarray(0, MIB))).status).toBe(400);
    const badSum = await putPart(created, 3, part(file, created, 3), { "x-checksum-sha256": "0".repeat(64) });
    expect(badSum.status).toBe(400);
    expect(((await badSum.json()) as { error: { code: string } }).error.code).toBe("media.checksum_mismatch");
  });

  it("a whole-file checksum mismatch at complete → 400 and the object is removed", async () => {
    const file = png(FILE_SIZE);
    const created = await create({ sha256: "0".repeat(64) });
    for (const n of [1, 2, 3]) await putPart(created, n, part(file, created, n));
    const res = await authed(`/dashboard/media/multipart/${created.mediaId}/complete`, { method: "POST" });
    expect(res.status).toBe(400);
    expect(await env.MEDIA.head(created.key)).toBeNull();
    expect((await coreCalls()).filter((c) => c.method === "POST")).toEqual([]);
  });

  it("limits: > 5 GiB → 413; viewers → 403; another workspace cannot see the session", async () => {
    const huge = await authed("/dashboard/media/multipart", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fileName: "x.mp4", fileSize: 5 * 1024 * MIB + 1, contentType: "video/mp4" }),
    });
    expect(huge.status).toBe(413);
    const viewer = await authed(
      "/dashboard/media/multipart",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ fileName: "x.mp4", fileSize: 10, contentType: "video/mp4" }),
      },
      await token({ role: "viewer" }),
    );
    expect(viewer.status).toBe(403);
    const created = await create();
    const other = await authed(
      `/dashboard/media/multipart/${created.mediaId}`,
      {},
      await token({ workspaceId: "wsMediaBBB" }),
    );
    expect(other.status).toBe(404);
  });

  it("the scheduled cleanup aborts abandoned uploads only", async () => {
    const file = png(FILE_SIZE);
    const created = await create();
    await putPart(created, 1, part(file, created, 1));
    expect(await cleanupAbandonedUploads(env, Date.now())).toBe(0);
    expect(await listKeys(`_multipart/${WS}/${created.mediaId}/`)).toHaveLength(2);
    expect(await cleanupAbandonedUploads(env, Date.now() + 25 * 3600 * 1000)).toBe(1);
    expect(await listKeys("_multipart/")).toEqual([]);
    expect((await putPart(created, 2, part(file, created, 2))).status).toBe(404);
  });
});
