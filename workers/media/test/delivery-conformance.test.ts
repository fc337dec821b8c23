import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { call, token, WS } from "./support/helpers";

/**
 * Conformance table for GET/HEAD: ranges (RFC 9110 §14) and conditionals (§13), run against a
 * private object (served from R2) and a public one (served from the Cache API once warm).
 */
const SIZE = 1000;
const BODY = Uint8Array.from({ length: SIZE }, (_, i) => i % 256);

interface Case {
  name: string;
  method?: "GET" | "HEAD";
  headers?: (v: { etag: string; lastModified: string }) => Record<string, string>;
  status: number;
  contentRange?: string;
  body?: [number, number] | "none";
}

const PAST = "Mon, 01 Jan 2001 00:00:00 GMT";
const FUTURE = "Fri, 01 Jan 2100 00:00:00 GMT";

const CASES: Case[] = [
  { name: "plain GET → 200, no Content-Range", status: 200, body: [0, 999] },
  {
    name: "bytes=0-99",
    headers: () => ({ range: "bytes=0-99" }),
    status: 206,
    contentRange: "bytes 0-99/1000",
    body: [0, 99],
  },
  {
    name: "bytes=0-0",
    headers: () => ({ range: "bytes=0-0" }),
    status: 206,
    contentRange: "bytes 0-0/1000",
    body: [0, 0],
  },
  {
    name: "open-ended bytes=900-",
    headers: () => ({ range: "bytes=900-" }),
    status: 206,
    contentRange: "bytes 900-999/1000",
    body: [900, 999],
  },
  {
    name: "suffix bytes=-100",
    headers: () => ({ range: "bytes=-100" }),
    status: 206,
    contentRange: "bytes 900-999/1000",
    body: [900, 999],
  },
  {
    name: "suffix longer than the object",
    headers: () => ({ range: "bytes=-5000" }),
    status: 206,
    contentRange: "bytes 0-999/1000",
    body: [0, 999],
  },
  {
    name: "last-pos past the end is clamped",
    headers: () => ({ range: "bytes=990-5000" }),
    status: 206,
    contentRange: "bytes 990-999/1000",
    body: [990, 999],
  },
  {
    name: "whole range bytes=0- is still a 206",
    headers: () => ({ range: "bytes=0-" }),
    status: 206,
    contentRange: "bytes 0-999/1000",
    body: [0, 999],
  },
  {
    name: "first-pos at size → 416",
    headers: () => ({ range: "bytes=1000-" }),
    status: 416,
    contentRange: "bytes */1000",
  },
  {
    name: "first-pos past size → 416",
    headers: () => ({ range: "bytes=5000-6000" }),
    status: 416,
    contentRange: "bytes */1000",
  },
  { name: "suffix of zero → 416", headers: () => ({ range: "bytes=-0" }), status: 416, contentRange: "bytes */1000" },
  { name: "multiple ranges → full 200", headers: () => ({ range: "bytes=0-9,20-29" }), status: 200, body: [0, 999] },
  { name: "malformed: letters", headers: () => ({ range: "bytes=abc-def" }), status: 200, body: [0, 999] },
  { name: "malformed: last < first", headers: () => ({ range: "bytes=50-10" }), status: 200, body: [0, 999] },
  { name: "malformed: other unit", headers: () => ({ range: "items=0-10" }), status: 200, body: [0, 999] },
  { name: "malformed: empty spec", headers: () => ({ range: "bytes=" }), status: 200, body: [0, 999] },
  { name: "malformed: lone dash", headers: () => ({ range: "bytes=-" }), status: 200, body: [0, 999] },
  { name: "malformed: no unit", headers: () => ({ range: "0-10" }), status: 200, body: [0, 999] },
  { name: "malformed: double dash", headers: () => ({ range: "bytes=--5" }), status: 200, body: [0, 999] },
  { name: "If-None-Match current → 304", headers: (v) => ({ "if-none-match": v.etag }), status: 304, body: "none" },
  {
    name: "If-None-Match weak form of current → 304",
    headers: (v) => ({ "if-none-match": `W/${v.etag}` }),
    status: 304,
    body: "none",
  },
  {
    name: "If-None-Match list containing current → 304",
    headers: (v) => ({ "if-none-match": `"x", ${v.etag}` }),
    status: 304,
    body: "none",
  },
  { name: "If-None-Match * → 304", headers: () => ({ "if-none-match": "*" }), status: 304, body: "none" },
  { name: "If-None-Match other → 200", headers: () => ({ "if-none-match": '"other"' }), status: 200, body: [0, 999] },
  { name: "If-Match current → 200", headers: (v) => ({ "if-match": v.etag }), status: 200, body: [0, 999] },
  { name: "If-Match * → 200", headers: () => ({ "if-match": "*" }), status: 200, body: [0, 999] },
  { name: "If-Match other → 412", headers: () => ({ "if-match": '"other"' }), status: 412 },
  { name: "If-Match weak (strong comparison) → 412", headers: (v) => ({ "if-match": `W/${v.etag}` }), status: 412 },
  {
    name: "If-Match fails before Range → 412",
    headers: () => ({ "if-match": '"other"', range: "bytes=0-9" }),
    status: 412,
  },
  { name: "If-Unmodified-Since past → 412", headers: () => ({ "if-unmodified-since": PAST }), status: 412 },
  {
    name: "If-Unmodified-Since future → 200",
    headers: () => ({ "if-unmodified-since": FUTURE }),
    status: 200,
    body: [0, 999],
  },
  {
    name: "If-Match passes, If-Unmodified-Since ignored",
    headers: (v) => ({ "if-match": v.etag, "if-unmodified-since": PAST }),
    status: 200,
    body: [0, 999],
  },
  {
    name: "If-Modified-Since future → 304",
    headers: () => ({ "if-modified-since": FUTURE }),
    status: 304,
    body: "none",
  },
  {
    name: "If-Modified-Since = Last-Modified → 304",
    headers: (v) => ({ "if-modified-since": v.lastModified }),
    status: 304,
    body: "none",
  },
  { name: "If-Modified-Since past → 200", headers: () => ({ "if-modified-since": PAST }), status: 200, body: [0, 999] },
  {
    name: "If-Modified-Since invalid date → 200",
    headers: () => ({ "if-modified-since": "yesterday" }),
    status: 200,
    body: [0, 999],
  },
  {
    name: "If-None-Match wins over If-Modified-Since",
    headers: () => ({ "if-none-match": '"other"', "if-modified-since": FUTURE }),
    status: 200,
    body: [0, 999],
  },
  {
    name: "If-Range current ETag → 206",
    headers: (v) => ({ "if-range": v.etag, range: "bytes=10-19" }),
    status: 206,
    contentRange: "bytes 10-19/1000",
    body: [10, 19],
  },
  {
    name: "If-Range stale ETag → full 200",
    headers: () => ({ "if-range": '"stale"', range: "bytes=10-19" }),
    status: 200,
    body: [0, 999],
  },
  {
    name: "If-Range weak ETag → full 200",
    headers: (v) => ({ "if-range": `W/${v.etag}`, range: "bytes=10-19" }),
    status: 200,
    body: [0, 999],
  },
  {
    name: "If-Range = Last-Modified → 206",
    headers: (v) => ({ "if-range": v.lastModified, range: "bytes=10-19" }),
    status: 206,
    contentRange: "bytes 10-19/1000",
    body: [10, 19],
  },
  {
    name: "If-Range stale date → full 200",
    headers: () => ({ "if-range": PAST, range: "bytes=10-19" }),
    status: 200,
    body: [0, 999],
  },
  {
    name: "If-Range stale ETag with unsatisfiable Range → full 200",
    headers: () => ({ "if-range": '"stale"', range: "bytes=5000-" }),
    status: 200,
    body: [0, 999],
  },
  {
    name: "If-Range stale ETag with whole Range bytes=0- → full 200",
    headers: () => ({ "if-range": '"stale"', range: "bytes=0-" }),
    status: 200,
    body: [0, 999],
  },
  {
    name: "If-Range current ETag with unsatisfiable Range → 416",
    headers: (v) => ({ "if-range": v.etag, range: "bytes=5000-" }),
    status: 416,
    contentRange: "bytes */1000",
  },
  {
    name: "If-Match current with Range → 206",
    headers: (v) => ({ "if-match": v.etag, range: "bytes=10-19" }),
    status: 206,
    contentRange: "bytes 10-19/1000",
    body: [10, 19],
  },
  {
    name: "If-Match list containing current → 200",
    headers: (v) => ({ "if-match": `"x", ${v.etag}` }),
    status: 200,
    body: [0, 999],
  },
  {
    name: "If-Match fails before an unsatisfiable Range → 412",
    headers: () => ({ "if-match": '"other"', range: "bytes=5000-" }),
    status: 412,
  },
  {
    name: "If-None-Match current with Range → 304",
    headers: (v) => ({ "if-none-match": v.etag, range: "bytes=0-9" }),
    status: 304,
    body: "none",
  },
  {
    name: "If-None-Match current before an unsatisfiable Range → 304",
    headers: (v) => ({ "if-none-match": v.etag, range: "bytes=5000-" }),
    status: 304,
    body: "none",
  },
  {
    name: "If-Modified-Since past with Range → 206",
    headers: () => ({ "if-modified-since": PAST, range: "bytes=-10" }),
    status: 206,
    contentRange: "bytes 990-999/1000",
    body: [990, 999],
  },
  { name: "HEAD → 200 without body", method: "HEAD", status: 200, body: "none" },
  { name: "HEAD ignores Range", method: "HEAD", headers: () => ({ range: "bytes=0-9" }), status: 200, body: "none" },
  {
    name: "HEAD If-None-Match → 304",
    method: "HEAD",
    headers: (v) => ({ "if-none-match": v.etag }),
    status: 304,
    body: "none",
  },
  { name: "HEAD If-Match other → 412", method: "HEAD", headers: () => ({ "if-match": '"other"' }), status: 412 },
];

async function putObject(
  visibility: "public" | "private",
): Promise<{ key: string; etag: string; lastModified: string }> {
  const key = `${WS}/${visibility}/obj${crypto.randomUUID().slice(0, 8)}/data.bin`;
  const object = await env.MEDIA.put(key, BODY, {
    httpMetadata: { contentType: "image/png" },
    customMetadata: { mediaId: "x", originalFileName: "data.bin", sha256: "" },
  });
  return { key, etag: object.httpEtag, lastModified: object.uploaded.toUTCString() };
}

for (const mode of ["private (R2)", "public (Cache API)"] as const) {
  describe(`delivery conformance — ${mode}`, () => {
    let target: { key: string; etag: string; lastModified: string };
    let auth: Record<string, string>;

    beforeEach(async () => {
      target = await putObject(mode.startsWith("private") ? "private" : "public");
      auth = mode.startsWith("private") ? { authorization: `Bearer ${await token({ context: "app" })}` } : {};
      if (mode.startsWith("public")) {
        // Warm the cache: the first GET populates it in waitUntil; wait for a hit.
        for (let i = 0; i < 50; i++) {
          const res = await call(`/files/${target.key}`);
          await res.arrayBuffer();
          if (res.headers.get("x-media-cache") === "hit") return;
          await new Promise((r) => setTimeout(r, 20));
        }
        throw new Error("the public object never reached the cache");
      }
    });

    for (const c of CASES) {
      it(c.name, async () => {
        const headers = { ...auth, ...(c.headers?.({ etag: target.etag, lastModified: target.lastModified }) ?? {}) };
        const res = await call(`/files/${target.key}`, { method: c.method ?? "GET", headers });
        expect(res.status).toBe(c.status);
        if (mode.startsWith("public") && c.status < 400) expect(res.headers.get("x-media-cache")).toBe("hit");
        expect(res.headers.get("content-range")).toBe(c.contentRange ?? null);
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (c.status === 200 || c.status === 206 || c.status === 304) {
          expect(res.headers.get("etag")).toBe(target.etag);
          expect(res.headers.get("last-modified")).toBe(target.lastModified);
        }
        if (c.status === 200 || c.status === 206) {
          expect(res.headers.get("accept-ranges")).toBe("bytes");
          expect(res.headers.get("content-type")).toBe("image/png");
          expect(res.headers.get("x-content-type-options")).toBe("nosniff");
          expect(res.headers.get("content-disposition")).toBe('inline; filename="data.bin"');
        }
        if (c.status === 412 && c.method !== "HEAD")
          expect((JSON.parse(new TextDecoder().decode(bytes)) as { error: { code: string } }).error.code).toBe(
            "media.precondition_failed",
          );
        if (c.status === 416)
          expect((JSON.parse(new TextDecoder().decode(bytes)) as { error: { code: string } }).error.code).toBe(
            "media.range_not_satisfiable",
          );
        if (c.body === "none") {
          expect(bytes.byteLength).toBe(0);
          if (c.method === "HEAD" && c.status === 200) expect(res.headers.get("content-length")).toBe(String(SIZE));
        } else if (c.body) {
          const [start, end] = c.body;
          expect(res.headers.get("content-length")).toBe(String(end - start + 1));
          expect(bytes).toEqual(BODY.slice(start, end + 1));
        }
      });
    }
  });
}

describe("delivery headers", () => {
  it("public objects are long-lived and immutable; private ones are not shared", async () => {
    const pub = await putObject("public");
    const res = await call(`/files/${pub.key}`);
    await res.arrayBuffer();
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const priv = await putObject("private");
    const res2 = await call(`/files/${priv.key}`, { headers: { authorization: `Bearer ${await token()}` } });
    await res2.arrayBuffer();
    expect(res2.headers.get("cache-control")).toBe("private, no-cache");
  });

  it("?download turns the disposition into an attachment", async () => {
    const pub = await putObject("public");
    const res = await call(`/files/${pub.key}?download=1`);
    await res.arrayBuffer();
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="data.bin"');
  });

  it("unknown objects and keys outside the media layout → 404", async () => {
    for (const path of [
      `/files/${WS}/public/nope/none.bin`,
      `/files/${WS}/incoming/abc/file.png`,
      `/files/${WS}/public/%2e%2e/x/y.bin`,
      "/files/_multipart/x/session.json",
      "/files/%E0%A4%A",
    ]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
  });
});
