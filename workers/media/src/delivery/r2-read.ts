/**
 * Mapping an HTTP GET onto a single R2 `get`: the request's preconditions become `onlyIf` and its
 * range becomes R2's `range`, so one call returns the metadata plus either the selected bytes or
 * no body (a precondition failed). The decision itself stays with `evaluateRequest`; R2's answer is
 * only used when it fits that decision.
 */
import { type ByteRange, parseHttpDate, parseRangeSpec } from "./http-semantics";

export interface R2ReadPlan {
  /** The preconditions that RFC 9110 §13.2.2 says apply, as headers for R2's `onlyIf`. */
  onlyIf?: Headers;
  /** The client's single byte range, as R2 understands it (before the size is known). */
  range?: R2Range;
}

export function planR2Read(headers: Headers): R2ReadPlan {
  const plan: R2ReadPlan = {};
  const onlyIf = effectivePreconditions(headers);
  if (onlyIf) plan.onlyIf = onlyIf;
  const rangeHeader = headers.get("range");
  const spec = rangeHeader === null ? "ignore" : parseRangeSpec(rangeHeader);
  if (spec !== "ignore") {
    // R2 refuses `suffix: 0` and offsets past the end (error 10039) — the 416 cases.
    plan.range =
      spec.kind === "suffix"
        ? { suffix: spec.length }
        : spec.kind === "from"
          ? { offset: spec.first }
          : { offset: spec.first, length: spec.last - spec.first + 1 };
  }
  return plan;
}

/**
 * If-Match, else If-Unmodified-Since; If-None-Match, else If-Modified-Since. Unparseable dates
 * are left out (they are ignored by the decision too), valid ones passed in IMF-fixdate form.
 */
function effectivePreconditions(headers: Headers): Headers | undefined {
  const out = new Headers();
  const ifMatch = headers.get("if-match");
  const ifUnmodifiedSince = parseHttpDate(headers.get("if-unmodified-since"));
  if (ifMatch !== null) out.set("if-match", ifMatch);
  else if (ifUnmodifiedSince !== null) out.set("if-unmodified-since", httpDate(ifUnmodifiedSince));
  const ifNoneMatch = headers.get("if-none-match");
  const ifModifiedSince = parseHttpDate(headers.get("if-modified-since"));
  if (ifNoneMatch !== null) out.set("if-none-match", ifNoneMatch);
  else if (ifModifiedSince !== null) out.set("if-modified-since", httpDate(ifModifiedSince));
  return [...out.keys()].length > 0 ? out : undefined;
}

function httpDate(seconds: number): string {
  return new Date(seconds * 1000).toUTCString();
}

/** R2 answers a range starting at or past the end (or `suffix: 0`) with error 10039. */
export function isRangeNotSatisfiable(err: unknown): boolean {
  return err instanceof Error && /\b10039\b|range is not satisfiable/i.test(err.message);
}

/** The bytes a body returned for `plan` holds, resolved against the object's size. */
export function bodyRange(object: R2Object, plan: R2ReadPlan): ByteRange | null {
  if (!plan.range) return object.size > 0 ? { start: 0, end: object.size - 1 } : null;
  // workerd fills every field of the reported range (absent ones undefined), so read them all.
  const range = object.range as { offset?: number; length?: number; suffix?: number } | undefined;
  if (!range) return null;
  if (range.suffix !== undefined) {
    return range.suffix > 0 ? { start: Math.max(0, object.size - range.suffix), end: object.size - 1 } : null;
  }
  const start = range.offset ?? 0;
  const length = range.length ?? object.size - start;
  return length > 0 ? { start, end: start + length - 1 } : null;
}
