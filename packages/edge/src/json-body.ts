import { JSON_BODY_MAX_BYTES, JSON_MEDIA_TYPE, QuestlineError } from "@questline/contracts";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

export interface JsonBodyOptions {
  /** Largest body accepted, bytes. Default `JSON_BODY_MAX_BYTES` (256 KiB). */
  maxBytes?: number;
}

function tooLarge(maxBytes: number): QuestlineError {
  return new QuestlineError("request.too_large", `Request bodies are limited to ${maxBytes} bytes`, {
    details: [{ path: "body", message: `at most ${maxBytes} bytes` }],
  });
}

/** Whether the request carries a body: a positive `Content-Length`, or a stream without one. */
function hasBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  if (length !== null) return length.trim() !== "0";
  return request.body !== null;
}

/**
 * For routes whose request bodies are JSON, before anything reads the body:
 * - a declared `Content-Length` over the limit → 413 `request.too_large` (the body is never
 *   read); a body without a length is counted as it is read and refused once it passes the limit;
 * - a body whose `Content-Type` is not JSON (`application/json`, `application/*+json`) →
 *   415 `request.unsupported_media_type`.
 * Requests without a body (GET, a bodiless POST such as `publish`) pass untouched.
 */
export function jsonBody(options: JsonBodyOptions = {}): MiddlewareHandler {
  const maxBytes = options.maxBytes ?? JSON_BODY_MAX_BYTES;
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge(maxBytes);
    },
  });
  return async (c, next) => {
    const request = c.req.raw;
    if (request.method === "GET" || request.method === "HEAD" || !hasBody(request)) return next();
    const declared = Number(request.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
    const type = request.headers.get("content-type") ?? "";
    if (!JSON_MEDIA_TYPE.test(type)) {
      throw new QuestlineError(
        "request.unsupported_media_type",
        type ? `Content-Type ${type.slice(0, 100)} is not accepted; send application/json` : "Send application/json",
        { details: [{ path: "header.content-type", message: "must be application/json" }] },
      );
    }
    return limit(c, next);
  };
}
