import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { call, errorCode, OTHER_WS, putPrivatePdf, token, WS } from "../../test/support/helpers";

let key: string;

beforeEach(async () => {
  key = await putPrivatePdf();
});

describe("private media access", () => {
  it("needs a token: none → 401", async () => {
    const res = await call(`/files/${key}`);
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("auth.missing_token");
  });

  it("an app or dashboard token of the workspace reads it", async () => {
    for (const t of [await token({ context: "app" }), await token({ role: "viewer" })]) {
      const res = await call(`/files/${key}`, { headers: { authorization: `Bearer ${t}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("%PDF-1.7 secret");
    }
  });

  it("a token of another workspace → 403", async () => {
    const res = await call(`/files/${key}`, {
      headers: { authorization: `Bearer ${await token({ workspaceId: OTHER_WS })}` },
    });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("auth.forbidden");
  });

  it("an expired or garbage token → 401", async () => {
    const expired = await token({ expiresIn: "-5m" });
    const res = await call(`/files/${key}`, { headers: { authorization: `Bearer ${expired}` } });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("auth.token_expired");
    const garbage = await call(`/files/${key}`, { headers: { authorization: "Bearer not.a.jwt" } });
    expect(garbage.status).toBe(401);
  });

  it("public media needs nothing", async () => {
    const pub = `${WS}/public/pub${crypto.randomUUID().slice(0, 8)}/badge.png`;
    await env.MEDIA.put(pub, "png-bytes");
    const res = await call(`/files/${pub}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("png-bytes");
  });
});
