/**
 * RFC 9110 conditional and range evaluation over a representation's validators. Pure functions:
 * the same decision is taken for objects read from R2 and from the Cache API.
 */

export interface Validators {
  /** Strong entity tag, quoted (R2's `httpEtag`). */
  etag: string;
  lastModified: Date;
  size: number;
}

export type ByteRange = { start: number; end: number };

export type Decision =
  | { kind: "full" }
  | { kind: "partial"; range: ByteRange }
  | { kind: "not-modified" }
  | { kind: "precondition-failed" }
  | { kind: "range-not-satisfiable" };

/** Seconds precision, as HTTP dates carry. */
function httpSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

export function parseHttpDate(value: string | null): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

function parseEntityTags(value: string): string[] {
  return value
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
}

function opaque(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}

/** Strong comparison: both tags strong and identical. */
function strongMatch(tag: string, etag: string): boolean {
  return !tag.startsWith("W/") && !etag.startsWith("W/") && tag === etag;
}

/** Weak comparison: opaque tags identical, weakness ignored. */
function weakMatch(tag: string, etag: string): boolean {
  return opaque(tag) === opaque(etag);
}

/**
 * Evaluates preconditions in the order of RFC 9110 §13.2.2, then `Range` / `If-Range` (§14.2,
 * §13.1.5). `method` is GET or HEAD; HEAD never yields a partial decision.
 */
export function evaluateRequest(method: string, headers: Headers, v: Validators): Decision {
  const ifMatch = headers.get("if-match");
  if (ifMatch !== null) {
    const tags = parseEntityTags(ifMatch);
    const ok = tags.includes("*") || tags.some((tag) => strongMatch(tag, v.etag));
    if (!ok) return { kind: "precondition-failed" };
  } else {
    const since = parseHttpDate(headers.get("if-unmodified-since"));
    if (since !== null && httpSeconds(v.lastModified) > since) return { kind: "precondition-failed" };
  }

  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    const tags = parseEntityTags(ifNoneMatch);
    if (tags.includes("*") || tags.some((tag) => weakMatch(tag, v.etag))) return { kind: "not-modified" };
  } else {
    const since = parseHttpDate(headers.get("if-modified-since"));
    if (since !== null && httpSeconds(v.lastModified) <= since) return { kind: "not-modified" };
  }

  if (method !== "GET") return { kind: "full" };
  const rangeHeader = headers.get("range");
  if (rangeHeader === null) return { kind: "full" };
  if (!ifRangeHolds(headers.get("if-range"), v)) return { kind: "full" };
  const parsed = parseRange(rangeHeader, v.size);
  if (parsed === "ignore") return { kind: "full" };
  if (parsed === "unsatisfiable") return { kind: "range-not-satisfiable" };
  return { kind: "partial", range: parsed };
}

/** `If-Range`: an entity tag must match strongly; a date must equal Last-Modified exactly. */
function ifRangeHolds(ifRange: string | null, v: Validators): boolean {
  if (ifRange === null) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith("W/")) return strongMatch(value, v.etag);
  const date = parseHttpDate(value);
  return date !== null && date === httpSeconds(v.lastModified);
}

const RANGE_SPEC = /^(\d*)-(\d*)$/;

/**
 * A single byte range as written by the client, before the size is known: `N-M`, `N-` or `-N`.
 * This is what can be handed to R2 before the object's size is known.
 */
export type RangeSpec =
  | { kind: "bounded"; first: number; last: number }
  | { kind: "from"; first: number }
  | {
      kind: "suffix";
      length: number;
    };

/**
 * Parses a `Range` header without knowing the size. `ignore`: not a bytes range, malformed, or
 * several ranges — answered with the full 200 (RFC 9110 lets a server ignore Range; we never build
 * multipart/byteranges).
 */
export function parseRangeSpec(header: string): RangeSpec | "ignore" {
  const match = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!match?.[1]) return "ignore";
  const specs = match[1].split(",").map((s) => s.trim());
  if (specs.length !== 1) return "ignore";
  const spec = RANGE_SPEC.exec(specs[0] ?? "");
  if (!spec) return "ignore";
  const [, first = "", last = ""] = spec;
  if (first === "" && last === "") return "ignore";
  if (first === "") {
    const length = Number(last);
    return Number.isSafeInteger(length) ? { kind: "suffix", length } : "ignore";
  }
  const start = Number(first);
  if (!Number.isSafeInteger(start)) return "ignore";
  if (last === "") return { kind: "from", first: start };
  const end = Number(last);
  if (!Number.isSafeInteger(end) || end < start) return "ignore";
  return { kind: "bounded", first: start, last: end };
}

/** Resolves a range spec against a representation of `size` bytes: `unsatisfiable` → 416. */
export function resolveRange(spec: RangeSpec, size: number): ByteRange | "unsatisfiable" {
  if (spec.kind === "suffix") {
    if (spec.length === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - spec.length), end: size - 1 };
  }
  if (spec.first >= size) return "unsatisfiable";
  return { start: spec.first, end: spec.kind === "bounded" ? Math.min(spec.last, size - 1) : size - 1 };
}

/** Parses and resolves a `Range` header for a representation of `size` bytes. */
export function parseRange(header: string, size: number): ByteRange | "ignore" | "unsatisfiable" {
  const spec = parseRangeSpec(header);
  return spec === "ignore" ? spec : resolveRange(spec, size);
}
