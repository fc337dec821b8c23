import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { token, WS } from "../../test/support/helpers";
import { app } from "../index";

/**
 * How many R2 operations each kind of private GET/HEAD costs. R2 calls are billed and each is a
 * round trip, so this is behaviour an operator notices: the common paths must be a single call.
 */
const SIZE = 1000;
const STALE = '"stale"';

/** The MEDIA binding, recording each operation's name. */
function recordingBucket(bucket: R2Bucket): { bucket: R2Bucket; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(bucket, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return value.apply(target, args);
      };
    },
  });
  return { bucket: proxy, calls };
}

interface Case {
  name: string;
  method?: "GET" | "HEAD";
  headers: (etag: string) => Record<string, string>;
  status: number;
  r2: string[];
}

const CASES: Case[] = [
  { name: "plain GET", headers: () => ({}), status: 200, r2: ["get"] },
  { name: "range", headers: () => ({ range: "bytes=0-99" }), status: 206, r2: ["get"] },
  { name: "suffix range", headers: () => ({ range: "bytes=-100" }), status: 206, r2: ["get"] },
  { name: "open-ended range", headers: () => ({ range: "bytes=900-" }), status: 206, r2: ["get"] },
  { name: "multiple ranges (ignored)", headers: () => ({ range: "bytes=0-1,5-6" }), status: 200, r2: ["get"] },
  { name: "If-None-Match current", headers: (etag) => ({ "if-none-match": etag }), status: 304, r2: ["get"] },
  { name: "If-None-Match other", headers: () => ({ "if-none-match": STALE }), status: 200, r2: ["get"] },
  { name: "If-Match other", headers: () => ({ "if-match": STALE }), status: 412, r2: ["get"] },
  {
    name: "If-Match current + range",
    headers: (etag) => ({ "if-match": etag, range: "bytes=0-9" }),
    status: 206,
    r2: ["get"],
  },
  {
    name: "If-Modified-Since future",
    headers: () => ({ "if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT" }),
    status: 304,
    r2: ["get"],
  },
  {
    name: "If-Unmodified-Since past",
    headers: () => ({ "if-unmodified-since": "Mon, 01 Jan 2001 00:00:00 GMT" }),
    status: 412,
    r2: ["get"],
  },
  { name: "If-Range current", headers: (etag) => ({ "if-range": etag, range: "bytes=0-9" }), status: 206, r2: ["get"] },
  // The object changed since the client's copy (never for our immutable keys): range read, then full read.
  {
    name: "If-Range stale",
    headers: () => ({ "if-range": STALE, range: "bytes=0-9" }),
    status: 200,
    r2: ["get", "get"],
  },
  // R2 refuses the range without telling the size that `Content-Range: bytes */size` needs.
  { name: "unsatisfiable range", headers: () => ({ range: "bytes=5000-" }), status: 416, r2: ["get", "head"] },
  { name: "HEAD", method: "HEAD", headers: () => ({}), status: 200, r2: ["head"] },
  {
    name: "HEAD If-None-Match",
    method: "HEAD",
    headers: (etag) => ({ "if-none-match": etag }),
    status: 304,
    r2: ["head"],
  },
];

describe("R2 operations per private request", () => {
  let key: string;
  let etag: string;
  let authorization: string;

  beforeAll(async () => {
    authorization = `Bearer ${await token({ context: "app" })}`;
  });

  for (const c of CASES) {
    it(`${c.name} → ${c.status} with ${c.r2.join(" + ")}`, async () => {
      key = `${WS}/private/calls${crypto.randomUUID().slice(0, 8)}/data.bin`;
      etag = (await env.MEDIA.put(key, new Uint8Array(SIZE), { httpMetadata: { contentType: "image/png" } })).httpEtag;
      const { bucket, calls } = recordingBucket(env.MEDIA);
      const ctx = createExecutionContext();
      const res = await app.fetch(
        new Request(`https://media.test/files/${key}`, {
          method: c.method ?? "GET",
          headers: { authorization, ...c.headers(etag) },
        }),
        { ...env, MEDIA: bucket },
        ctx,
      );
      await res.arrayBuffer();
      await waitOnExecutionContext(ctx);
      expect(res.status).toBe(c.status);
      expect(calls).toEqual(c.r2);
    });
  }
});
