import { QuestlineError } from "@questline/contracts";
import type { MiddlewareHandler } from "hono";
import type { CoreEnv } from "./env";

/**
 * The documented limits of a JSON request body. 256 KiB is well above any configuration
 * (DynamoDB's item limit is 400 KB); 32 levels is DynamoDB's own nesting limit for a document.
 */
export const BODY_LIMITS = { maxBytes: 256 * 1024, maxDepth: 32 } as const;

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Checks every write's body before a route reads it: 413 `request.too_large` from the declared
 * length (before reading) or the actual size, 415 `request.unsupported_media_type` when a body
 * is not declared `application/json`, 400 `request.bad_json` when it does not parse, 400
 * `request.too_deep` beyond `BODY_LIMITS.maxDepth`. The body stays readable for the route.
 */
export function bodyGuard(): MiddlewareHandler<CoreEnv> {
  return async (c, next) => {
    if (!WRITE_METHODS.has(c.req.method)) return next();
    const declared = c.req.header("content-length");
    if (declared !== undefined && Number(declared) > BODY_LIMITS.maxBytes) throw tooLarge();
    const text = await c.req.text();
    if (text.length === 0) return next();
    if (new TextEncoder().encode(text).byteLength > BODY_LIMITS.maxBytes) throw tooLarge();
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json" && !type.endsWith("+json")) {
      throw new QuestlineError(
        "request.unsupported_media_type",
        `Request bodies must be application/json (got ${type || "no content type"})`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new QuestlineError("request.bad_json", "The request body is not valid JSON");
    }
    const depth = jsonDepth(parsed, BODY_LIMITS.maxDepth);
    if (depth > BODY_LIMITS.maxDepth) {
      throw new QuestlineError(
        "request.too_deep",
        `The request body is nested deeper than ${BODY_LIMITS.maxDepth} levels`,
      );
    }
    return next();
  };
}

function tooLarge(): QuestlineError {
  return new QuestlineError("request.too_large", `Request bodies are limited to ${BODY_LIMITS.maxBytes} bytes`);
}

/** Nesting depth of a parsed JSON value, iteratively; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    const level = depth + 1;
    if (level > max) max = level;
    if (max > limit) return max;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === "object") stack.push([child, level]);
    }
  }
  return max;
}
