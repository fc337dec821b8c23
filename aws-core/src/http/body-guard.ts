import { QuestlineError } from "@questline/contracts";
import type { MiddlewareHandler } from "hono";
import { coreConfig } from "../config";
import type { CoreEnv } from "./env";

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Checks every write's body before a route reads it: 413 `request.too_large` from the declared
 * length (before reading) or the actual size, 415 `request.unsupported_media_type` when a body
 * is not declared `application/json`, 400 `request.bad_json` when it does not parse, 400
 * `request.too_deep` beyond the depth limit. The limits are the `http/body-max-bytes` and
 * `http/body-max-depth` parameters (by default the documented API limits, 256 KiB and 32
 * levels; a stage can only lower them). The body stays readable for the route.
 */
export function bodyGuard(): MiddlewareHandler<CoreEnv> {
  return async (c, next) => {
    if (!WRITE_METHODS.has(c.req.method)) return next();
    const { bodyMaxBytes: maxBytes, bodyMaxDepth: maxDepth } = coreConfig();
    const declared = c.req.header("content-length");
    if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge(maxBytes);
    const text = await c.req.text();
    if (text.length === 0) return next();
    if (new TextEncoder().encode(text).byteLength > maxBytes) throw tooLarge(maxBytes);
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
    if (jsonDepth(parsed, maxDepth) > maxDepth) {
      throw new QuestlineError("request.too_deep", `The request body is nested deeper than ${maxDepth} levels`);
    }
    return next();
  };
}

function tooLarge(maxBytes: number): QuestlineError {
  return new QuestlineError("request.too_large", `Request bodies are limited to ${maxBytes} bytes`);
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
