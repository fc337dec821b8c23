import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { authed, coreCalls, png, token, upload, WS } from "../test/support/helpers";

describe("DELETE /dashboard/media/:mediaId", () => {
  it("DELETE removes the entity and the object; again → 404; other workspaces cannot delete", async () => {
    const media = (await (await upload(png())).json()) as { mediaId: string; key: string };
    const other = await authed(
      `/dashboard/media/${media.mediaId}`,
      { method: "DELETE" },
      await token({ workspaceId: "wsMediaBBB" }),
    );
    expect(other.status).toBe(404);
    expect(await env.MEDIA.head(media.key)).not.toBeNull();

    const res = await authed(`/dashboard/media/${media.mediaId}`, { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ mediaId: media.mediaId, deleted: true });
    expect(await env.MEDIA.head(media.key)).toBeNull();
    const deleteCall = (await coreCalls()).find((c) => c.method === "DELETE" && c.headers["x-ql-workspace-id"] === WS);
    expect(deleteCall).toMatchObject({ path: `/dashboard/media/${media.mediaId}`, signature: "valid" });
    expect((await authed(`/dashboard/media/${media.mediaId}`, { method: "DELETE" })).status).toBe(404);
  });
});
