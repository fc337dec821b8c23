import { QuestlineError } from "@questline/contracts/errors";
import type { Context } from "hono";
import { authorizePrivate } from "../auth/private-access";
import type { AppEnv } from "../env";
import { type MediaKey, parseMediaKey } from "../keys";
import { type ByteRange, type Decision, evaluateRequest } from "./http-semantics";
import { bodyRange, isRangeNotSatisfiable, planR2Read } from "./r2-read";
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
  if (!parsed) notFound();
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

function notFound(): never {
  throw new QuestlineError("resource.not_found", "Media not found");
}

function hasBody(object: R2Object): object is R2ObjectBody {
  return "body" in object;
}

function sameRange(a: ByteRange | null, b: ByteRange): boolean {
  return a !== null && a.start === b.start && a.end === b.end;
}

/**
 * One R2 call per request in the common cases: HEAD is a `head`; GET is a single `get` carrying the
 * preconditions (`onlyIf`) and the range, so the same call yields 200, 206, 304 or 412. The
 * decision is still `evaluateRequest` on the returned metadata; R2's answer is used only when it
 * fits it. Otherwise (stale `If-Range`, a range R2 refused, R2 judging a precondition differently)
 * a second read is made, pinned to the ETag just evaluated.
 */
async function serveFromR2(c: Context<AppEnv>, target: MediaKey, method: "GET" | "HEAD", download: boolean) {
  const bucket = c.env.MEDIA;
  const headers = c.req.raw.headers;
  if (method === "HEAD") {
    const head = await bucket.head(target.key);
    if (!head) notFound();
    const rep = representationFromObject(head, target.fileName, target.visibility);
    const decision = evaluateRequest(method, headers, validatorsOf(rep));
    return answerWithoutBody(decision, rep, download) ?? fullResponse(rep, null, download);
  }

  const plan = planR2Read(headers);
  let object: R2ObjectBody | R2Object | null;
  try {
    object = plan.onlyIf
      ? await bucket.get(target.key, { range: plan.range, onlyIf: plan.onlyIf })
      : await bucket.get(target.key, { range: plan.range });
  } catch (err) {
    if (!plan.range || !isRangeNotSatisfiable(err)) throw err;
    // R2 refuses a range starting past the end without saying the size, which the 416 must carry.
    object = await bucket.head(target.key);
  }
  if (!object) notFound();
  const rep = representationFromObject(object, target.fileName, target.visibility);
  const decision = evaluateRequest(method, headers, validatorsOf(rep));
  const body = hasBody(object) ? object.body : null;
  if (body) {
    const held = plan.range ? bodyRange(object, plan) : { start: 0, end: rep.size - 1 };
    // A full read is a 200 without Content-Range, whatever range R2 reports.
    if (decision.kind === "full" && (!plan.range || sameRange(held, { start: 0, end: rep.size - 1 })))
      return fullResponse(rep, body, download);
    if (decision.kind === "partial" && sameRange(held, decision.range))
      return partialResponse(rep, decision.range, body, download);
    await body.cancel();
  }
  const early = answerWithoutBody(decision, rep, download);
  if (early) return early;
  return readPinned(bucket, target.key, rep, decision, object.etag, download);
}

/** Second read for a 200/206 that R2's first answer could not serve, pinned to the evaluated ETag. */
async function readPinned(
  bucket: R2Bucket,
  key: string,
  rep: RepresentationInput,
  decision: Decision,
  etag: string,
  download: boolean,
): Promise<Response> {
  const range = decision.kind === "partial" ? decision.range : undefined;
  const object = await bucket.get(key, {
    onlyIf: { etagMatches: etag },
    ...(range ? { range: { offset: range.start, length: range.end - range.start + 1 } } : {}),
  });
  // Gone or replaced since the first read: keys are immutable, so only a delete gets here.
  if (!object || !("body" in object)) notFound();
  return range ? partialResponse(rep, range, object.body, download) : fullResponse(rep, object.body, download);
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
    console.warn(JSON.stringify({ msg: "cache populate failed", key: target.key, error: String(err) }));
  }
}
