import { AwsV4Signer } from "aws4fetch";
import { describe, expect, it } from "vitest";
import { verifySigV4 } from "./sigv4";

const KEY = { accessKeyId: "AKIDLOCALTEST", secretAccessKey: "local-secret-key" };
const scope = { service: "execute-api", region: "eu-west-1" };

async function signed(
  init: { method?: string; url?: string; body?: string; headers?: Record<string, string> } = {},
  datetime?: string,
) {
  const signer = new AwsV4Signer({
    method: init.method ?? "POST",
    url: init.url ?? "http://127.0.0.1:4010/dashboard/learning-paths?b=2&a=1&a=0",
    headers: { "content-type": "application/json", ...(init.headers ?? {}) },
    body: init.body ?? '{"title":"Climate basics"}',
    ...KEY,
    ...scope,
    ...(datetime ? { datetime } : {}),
  });
  const req = await signer.sign();
  return {
    method: req.method,
    url: req.url.toString(),
    headers: req.headers,
    body: init.body ?? '{"title":"Climate basics"}',
  };
}

function verify(req: Awaited<ReturnType<typeof signed>>, extra: Partial<Parameters<typeof verifySigV4>[0]> = {}) {
  return verifySigV4({
    ...req,
    ...scope,
    lookupSecret: (id) => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined),
    ...extra,
  });
}

describe("verifySigV4", () => {
  it("accepts a request signed by aws4fetch", async () => {
    expect(await verify(await signed())).toEqual({ ok: true, accessKeyId: KEY.accessKeyId });
  });

  it("accepts paths that need double encoding and empty bodies", async () => {
    const req = await signed({
      method: "GET",
      url: "http://127.0.0.1:4010/app/catalog/search?q=caf%C3%A9%20%26%20co&x=(1)",
      body: "",
    });
    expect((await verify(req)).ok).toBe(true);
    const path = await signed({ method: "GET", url: "http://h.example/a%20b/c'd/(e)", body: "" });
    expect((await verify(path)).ok).toBe(true);
  });

  it("rejects a tampered body", async () => {
    const req = await signed();
    expect(await verify({ ...req, body: '{"title":"Hacked"}' })).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("rejects a tampered path, query or signed header", async () => {
    const req = await signed({ headers: { "x-ql-workspace-id": "wsAAAAAAAA" } });
    expect((await verify({ ...req, url: req.url.replace("learning-paths", "learning-pathz") })).ok).toBe(false);
    expect((await verify({ ...req, url: req.url.replace("b=2", "b=3") })).ok).toBe(false);
    const headers = new Headers(req.headers);
    headers.set("x-ql-workspace-id", "wsBBBBBBBB");
    expect(await verify({ ...req, headers })).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("rejects a wrong secret, an unknown key and a wrong scope", async () => {
    const req = await signed();
    expect(await verify(req, { lookupSecret: () => "other-secret" })).toEqual({
      ok: false,
      reason: "signature_mismatch",
    });
    expect(await verify(req, { lookupSecret: () => undefined })).toEqual({ ok: false, reason: "unknown_key" });
    expect(await verify(req, { region: "eu-north-1" })).toEqual({ ok: false, reason: "wrong_scope" });
    expect(await verify(req, { service: "s3" })).toEqual({ ok: false, reason: "wrong_scope" });
  });

  it("enforces the ±5 minute clock skew", async () => {
    const req = await signed({}, "20260101T120000Z");
    const at = (iso: string) => verify(req, { now: new Date(iso) });
    expect((await at("2026-01-01T12:04:59Z")).ok).toBe(true);
    expect((await at("2026-01-01T11:55:01Z")).ok).toBe(true);
    expect(await at("2026-01-01T12:05:01Z")).toEqual({ ok: false, reason: "clock_skew" });
    expect(await at("2026-01-01T11:54:59Z")).toEqual({ ok: false, reason: "clock_skew" });
  });

  it("rejects missing or malformed authorization and a lying content hash", async () => {
    const req = await signed();
    const noAuth = new Headers(req.headers);
    noAuth.delete("authorization");
    expect(await verify({ ...req, headers: noAuth })).toEqual({ ok: false, reason: "missing_authorization" });
    const bad = new Headers(req.headers);
    bad.set("authorization", "AWS4-HMAC-SHA256 Credential=x");
    expect(await verify({ ...req, headers: bad })).toEqual({ ok: false, reason: "malformed_authorization" });
    const lying = await signed({ headers: { "x-amz-content-sha256": "0".repeat(64) } });
    expect(await verify(lying)).toEqual({ ok: false, reason: "body_hash_mismatch" });
  });
});
