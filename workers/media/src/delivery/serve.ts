import { QuestlineError } from "@questline/contracts";
import type { Context } from "hono";
import { authorizePrivate } from "../auth/private-access";
import type { AppEnv } from "../env";
import { type MediaKey, parseMediaKey } from "../keys";
import { type Decision, evaluateRequest } from "./http-semantics";
import {
  type RepresentationInput,
  representationFromCached,
  representationFromObject,
  representationHeaders,
  validatorsOf,
} from "./representation";

const FILES_PREFIX = "/files/";

/** GET / HEAD /files/<workspace>/<visibility>/<mediaId>/<fileName> */
export async function serveMedia(c: Context<AppEnv>): Promise<Response> {
  const url = new URL(c.req.url);
  const target = parseTarget(url.pathname);
  if (target.visibility === "private") await authorizePrivate(c.env, target, url, c.req.header("authorization"));
  const download = url.searchParams.has("download");
  const method = c.req.method === "HEAD" ? "HEAD" : "GET";

  if (target.visibility === "public") {
    const cacheKey = new Request(`${url.origin}${FILES_PREFIX}${target.key}`);
    const fromCache = await serveFromCache(c, cacheKey, target, method, download);
    if (fromCache) return fromCache;
    if (method === "GET") c.executionCtx.waitUntil(populateCache(c, cacheKey, target));
  }
  return serveFromR2(c, target, method, download);
}

function parseTarget(pathname: string): MediaKey {
  let key: string;
  try {
    key = decodeURIComponent(pathname.slice(FILES_PREFIX.length));
  } catch {
    throw new QuestlineError("resource.not_found", "Media not found");
  }
  const parsed = parseMediaKey(key);
  if (!parsed) throw new QuestlineError("resource.not_found", "Media not found");
  return parsed;
}

/** Answers from the decision alone (304 / 412 / 416); null when a body must be sent. */
function answerWithoutBody(decision: Decision, rep: RepresentationInput, download: boolean): Response | null {
  switch (decision.kind) {
    case "not-modified": {
      const headers = representationHeaders(rep, download);
      headers.delete("content-type");
      headers.delete("content-disposition");
      return new Response(null, { status: 304, headers });
    }
    case "precondition-failed":
      throw new QuestlineError("media.precondition_failed", "A precondition (If-Match / If-Unmodified-Since) failed", {
        headers: { etag: rep.etag },
      });
    case "range-not-satisfiable":
      throw new QuestlineError(
        "media.range_not_satisfiable",
        `The range is outside the ${rep.size} bytes of the object`,
        {
          headers: { "content-range": `bytes */${rep.size}`, "accept-ranges": "bytes" },
        },
      );
    default:
      return null;
  }
}

function fullResponse(rep: RepresentationInput, body: ReadableStream | null, download: boolean): Response {
  const headers = representationHeaders(rep, download);
  headers.set("content-length", String(rep.size));
  return new Response(body, { status: 200, headers });
}

function partialResponse(
  rep: RepresentationInput,
  range: { start: number; end: number },
  body: ReadableStream,
  download: boolean,
): Response {
  const headers = representationHeaders(rep, download);
  headers.set("content-range", `bytes ${range.start}-${range.end}/${rep.size}`);
  headers.set("content-length", String(range.end - range.start + 1));
  return new Response(body, { status: 206, headers });
}

const CONDITIONAL_HEADERS = ["range", "if-match", "if-none-match", "if-modified-since", "if-unmodified-since"];

async function serveFromR2(c: Context<AppEnv>, target: MediaKey, method: "GET" | "HEAD", download: boolean) {
  const bucket = c.env.MEDIA;
  const plain = !CONDITIONAL_HEADERS.some((name) => c.req.header(name) !== undefined);
  if (method === "GET" && plain) {
    // The common case: one R2 round trip, full body streamed.
    const object = await bucket.get(target.key);
    if (!object) throw new QuestlineError("resource.not_found", "Media not found");
    return fullResponse(representationFromObject(object, target.fileName, target.visibility), object.body, download);
  }
  const head = await bucket.head(target.key);
  if (!head) throw new QuestlineError("resource.not_found", "Media not found");
  const rep = representationFromObject(head, target.fileName, target.visibility);
  const decision = evaluateRequest(method, c.req.raw.headers, validatorsOf(rep));
  const early = answerWithoutBody(decision, rep, download);
  if (early) return early;
  if (method === "HEAD") return fullResponse(rep, null, download);
  if (decision.kind === "partial") {
    const { start, end } = decision.range;
    const object = await bucket.get(target.key, {
      range: { offset: start, length: end - start + 1 },
      onlyIf: { etagMatches: head.etag },
    });
    if (!object || !("body" in object)) throw new QuestlineError("resource.not_found", "Media not found");
    return partialResponse(rep, decision.range, object.body, download);
  }
  const object = await bucket.get(target.key, { onlyIf: { etagMatches: head.etag } });
  if (!object || !("body" in object)) throw new QuestlineError("resource.not_found", "Media not found");
  // Full read: 200 without Content-Range, whatever range R2 reports.
  return fullResponse(rep, object.body, download);
}

async function serveFromCache(
  c: Context<AppEnv>,
  cacheKey: Request,
  target: MediaKey,
  method: "GET" | "HEAD",
  download: boolean,
): Promise<Response | null> {
  const cache = caches.default;
  const cached = await cache.match(cacheKey);
  if (!cached) return null;
  const rep = representationFromCached(cached, target.fileName);
  if (!rep) {
    await cached.body?.cancel();
    return null;
  }
  const decision = evaluateRequest(method, c.req.raw.headers, validatorsOf(rep));
  const early = answerWithoutBody(decision, rep, download);
  if (early || method === "HEAD" || decision.kind === "partial") await cached.body?.cancel();
  if (early) return markHit(early);
  if (method === "HEAD") return markHit(fullResponse(rep, null, download));
  if (decision.kind === "partial") {
    const { start, end } = decision.range;
    // The Cache API slices a stored response itself when asked with a normalized Range.
    const ranged = await cache.match(new Request(cacheKey.url, { headers: { range: `bytes=${start}-${end}` } }));
    if (ranged?.status === 206 && ranged.body)
      return markHit(partialResponse(rep, decision.range, ranged.body, download));
    await ranged?.body?.cancel();
    return null;
  }
  return markHit(fullResponse(rep, cached.body, download));
}

function markHit(response: Response): Response {
  response.headers.set("x-media-cache", "hit");
  return response;
}

/** Stores the full object in the Cache API from a separate R2 read (no tee: memory stays flat). */
async function populateCache(c: Context<AppEnv>, cacheKey: Request, target: MediaKey) {
  try {
    const object = await c.env.MEDIA.get(target.key);
    if (!object) return;
    const rep = representationFromObject(object, target.fileName, "public");
    await caches.default.put(cacheKey, fullResponse(rep, object.body, false));
  } catch (err) {
    console.warn(JSON.stringify({ message: "cache populate failed", key: target.key, error: String(err) }));
  }
}
