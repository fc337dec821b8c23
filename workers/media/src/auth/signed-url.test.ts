import { env } from "cloudflare:workers";
import { JSON_BODY_MAX_BYTES } from "@questline/contracts/limits";
import { beforeEach, describe, expect, it } from "vitest";
import { authed, call, errorCode, OTHER_WS, putPrivatePdf, token, WS } from "../../test/support/helpers";
import { signMediaKey } from "./signed-url";

let key: string;

beforeEach(async () => {
  key = await putPrivatePdf();
});

async function signedUrl(forKey = key, expiresIn = 60, tokenValue?: string): Promise<string> {
  const res = await authed(
    "/media/signed-urls",
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key: forKey, expiresIn }),
    },
    tokenValue ?? (await token({ context: "app" })),
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { url: string }).url;
}

describe("signed URLs", () => {
  it("a signed URL reads the object without a token (GET and HEAD)", async () => {
    const url = new URL(await signedUrl());
    expect(url.pathname).toBe(`/files/${key}`);
    const res = await call(url.pathname + url.search);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("%PDF-1.7 secret");
    const head = await call(url.pathname + url.search, { method: "HEAD" });
    expect(head.status).toBe(200);
  });

  it("accepts one spelling of a signature: a variant differing only in the last character's unused bits → 403", async () => {
    const url = new URL(await signedUrl());
    const sig = url.searchParams.get("sig") ?? "";
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(sig.at(-1) ?? "A");
    // 32 bytes in 43 characters: the last one's low 2 bits are padding.
    const twin = `${sig.slice(0, -1)}${alphabet[last ^ 1]}`;
    url.searchParams.set("sig", twin);
    const res = await call(url.pathname + url.search);
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("auth.forbidden");
  });

  it("a tampered signature, expiry or key → 403", async () => {
    const url = new URL(await signedUrl());
    const sig = url.searchParams.get("sig") ?? "";
    const exp = Number(url.searchParams.get("exp"));
    const flipped = (sig[0] === "A" ? "B" : "A") + sig.slice(1);
    const otherKey = `${WS}/private/other123/secret.pdf`;
    await env.MEDIA.put(otherKey, "%PDF other");
    for (const path of [
      `/files/${key}?exp=${exp}&sig=${flipped}`,
      `/files/${key}?exp=${exp + 100}&sig=${sig}`,
      `/files/${otherKey}?exp=${exp}&sig=${sig}`,
      `/files/${key}?exp=${exp}&sig=short`,
      `/files/${key}?sig=${sig}`,
    ]) {
      const res = await call(path);
      expect(res.status, path).toBe(403);
      expect(await errorCode(res)).toBe("auth.forbidden");
    }
  });

  it("an expired signed URL → 403 auth.signature_expired", async () => {
    const exp = Math.floor(Date.now() / 1000) - 10;
    const sig = await signMediaKey(env.MEDIA_SIGNING_SECRET, key, exp);
    const res = await call(`/files/${key}?exp=${exp}&sig=${sig}`);
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("auth.signature_expired");
  });

  it("a correctly signed but too long-lived URL → 403", async () => {
    const exp = Math.floor(Date.now() / 1000) + 24 * 3600;
    const sig = await signMediaKey(env.MEDIA_SIGNING_SECRET, key, exp);
    expect((await call(`/files/${key}?exp=${exp}&sig=${sig}`)).status).toBe(403);
  });

  it("nobody signs URLs for another workspace's media (404), nor beyond the maximum lifetime (400)", async () => {
    const res = await authed(
      "/media/signed-urls",
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key }) },
      await token({ workspaceId: OTHER_WS }),
    );
    expect(res.status).toBe(404);
    const tooLong = await authed("/media/signed-urls", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key, expiresIn: 86400 }),
    });
    expect(tooLong.status).toBe(400);
    const noToken = await call("/media/signed-urls", { method: "POST", body: JSON.stringify({ key }) });
    expect(noToken.status).toBe(401);
  });

  it("the JSON routes take the API's JSON limits: 415 for a non-JSON body, 413 over 256 KiB", async () => {
    const text = await authed("/media/signed-urls", { method: "POST", body: JSON.stringify({ key }) });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { error: { code: string } }).error.code).toBe("request.unsupported_media_type");
    const big = await authed("/media/signed-urls", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key, pad: "x".repeat(JSON_BODY_MAX_BYTES) }),
    });
    expect(big.status).toBe(413);
    const multipart = await authed("/dashboard/media/multipart", { method: "POST", body: "{}" });
    expect(multipart.status).toBe(415);
  });
});
