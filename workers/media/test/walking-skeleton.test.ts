import { describe, expect, it } from "vitest";
import { call, coreCalls, png, sha256Hex, token, upload, WS } from "./support/helpers";

describe("walking skeleton: an admin uploads a file and reads the same bytes back", () => {
  it("stores under a workspace-prefixed key, records the Media entity in the core, serves the bytes", async () => {
    const bytes = png(4096);
    const res = await upload(bytes, { fileName: "Team Photo.png", visibility: "private", tags: "team,2026" });
    expect(res.status).toBe(201);
    const media = (await res.json()) as Record<string, unknown>;
    expect(media.key).toMatch(new RegExp(`^${WS}/private/[A-Za-z0-9_-]{21}/Team-Photo\\.png$`));
    expect(media).toMatchObject({
      contentType: "image/png",
      fileType: "image",
      fileSize: 4096,
      sha256: await sha256Hex(bytes),
      width: 640,
      height: 480,
      tags: ["team", "2026"],
      originalFileName: "Team Photo.png",
    });

    const [create] = await coreCalls();
    expect(create).toMatchObject({ method: "POST", path: "/dashboard/media", signature: "valid" });
    expect(create?.headers["x-ql-workspace-id"]).toBe(WS);
    expect(create?.headers["x-ql-role"]).toBe("editor");
    expect(create?.body.mediaId).toBe(media.mediaId);

    const read = await call(`/files/${media.key}`, {
      headers: { authorization: `Bearer ${await token({ context: "app" })}` },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await read.arrayBuffer())).toEqual(bytes);
  });
});
