import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { authed, coreCalls, listKeys, png, token, WS } from "../../test/support/helpers";

const QUERY = "contentType=image/png&fileName=Holiday%20photo.png&fileSize=4096&fileType=image";

describe("presigned direct-to-R2 upload (GET /dashboard/media/upload-url)", () => {
  it("returns a SigV4 query-signed PUT URL into the workspace's incoming prefix, per the reference schema", async () => {
    const res = await authed(`/dashboard/media/upload-url?${QUERY}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      uploadUrl: string;
      mediaId: string;
      expiresIn: number;
      metadataHeaders: Record<string, string>;
    };
    expect(body.expiresIn).toBe(900);
    const url = new URL(body.uploadUrl);
    expect(url.host).toBe(`${env.R2_ACCOUNT_ID}.r2.cloudflarestorage.com`);
    expect(url.pathname).toBe(`/${env.R2_BUCKET_NAME}/${WS}/incoming/${body.mediaId}/Holiday-photo.png`);
    expect(url.searchParams.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
    expect(url.searchParams.get("X-Amz-Credential")).toMatch(/^r2-test-access-key\/\d{8}\/auto\/s3\/aws4_request$/);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toContain("content-type");
    expect(body.metadataHeaders["x-amz-meta-media-id"]).toBe(body.mediaId);
  });

  it("refuses types outside the allow-list, sizes over 5 GiB, replacement and non-editors", async () => {
    expect((await authed(`/dashboard/media/upload-url?${QUERY.replace("image/png", "text/html")}`)).status).toBe(400);
    expect((await authed(`/dashboard/media/upload-url?${QUERY.replace("4096", String(6 * 1024 ** 3))}`)).status).toBe(
      413,
    );
    expect((await authed(`/dashboard/media/upload-url?${QUERY}&mediaId=abc`)).status).toBe(400);
    expect((await authed(`/dashboard/media/upload-url?${QUERY}`, {}, await token({ role: "viewer" }))).status).toBe(
      403,
    );
  });

  it("complete validates the uploaded object like a direct upload and moves it to its final key", async () => {
    const res = await authed(`/dashboard/media/upload-url?${QUERY}`);
    const { mediaId } = (await res.json()) as { mediaId: string };
    // What the client's S3 PUT does:
    await env.MEDIA.put(`${WS}/incoming/${mediaId}/Holiday-photo.png`, png(4096), {
      customMetadata: { "original-file-name": "Holiday%20photo.png" },
    });
    const done = await authed(`/dashboard/media/upload-url/${mediaId}/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ visibility: "public", tags: ["trip"] }),
    });
    expect(done.status).toBe(201);
    const media = (await done.json()) as Record<string, unknown>;
    expect(media).toMatchObject({
      mediaId,
      key: `${WS}/public/${mediaId}/Holiday-photo.png`,
      originalFileName: "Holiday photo.png",
      contentType: "image/png",
      tags: ["trip"],
    });
    expect(await listKeys(`${WS}/incoming/`)).toEqual([]);
    expect((await coreCalls()).filter((c) => c.method === "POST")).toHaveLength(1);
  });

  it("complete refuses a spoofed file (415) and removes it", async () => {
    const res = await authed(`/dashboard/media/upload-url?${QUERY}`);
    const { mediaId } = (await res.json()) as { mediaId: string };
    await env.MEDIA.put(`${WS}/incoming/${mediaId}/Holiday-photo.png`, "<html><script>x</script></html>");
    const done = await authed(`/dashboard/media/upload-url/${mediaId}/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(done.status).toBe(415);
    expect(await listKeys(`${WS}/`)).toEqual([]);
    const again = await authed(`/dashboard/media/upload-url/${mediaId}/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(again.status).toBe(404);
  });
});
