/**
 * EventBridge event patterns, evaluated locally with EventBridge's documented semantics
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html): a
 * pattern is an object whose keys are fields of the event; a nested object matches a nested
 * field; an array lists the values a field may match (any of them), each an exact value or a
 * filter — `prefix`, `suffix`, `equals-ignore-case`, `wildcard`, `anything-but`, `numeric`,
 * `exists`, `cidr` — and `$or` lists alternative sub-patterns. A field that is an array in the
 * event matches when any of its elements matches. All keys of a pattern must match.
 */
export type EventPattern = { [field: string]: unknown };

export class InvalidEventPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidEventPatternError";
  }
}

const MISSING = Symbol("missing");

/** Whether `event` matches `pattern` (both parsed JSON). Throws InvalidEventPatternError for a malformed pattern. */
export function matchesPattern(event: unknown, pattern: EventPattern): boolean {
  if (!isPlainObject(pattern)) throw new InvalidEventPatternError("an event pattern must be a JSON object");
  validatePattern(pattern);
  return matchObject(event, pattern);
}

/** Checks a pattern's shape whatever the event (PutRule refuses a malformed pattern up front). */
export function validatePattern(pattern: EventPattern): void {
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === "$or") {
      if (!Array.isArray(rule) || rule.length < 2 || !rule.every(isPlainObject)) {
        throw new InvalidEventPatternError("$or takes an array of at least two patterns");
      }
      for (const alternative of rule) validatePattern(alternative as EventPattern);
    } else if (isPlainObject(rule)) {
      validatePattern(rule as EventPattern);
    } else if (Array.isArray(rule)) {
      for (const matcher of rule) validateMatcher(matcher);
    } else {
      throw new InvalidEventPatternError(`"${key}": a value in a pattern must be an array or an object`);
    }
  }
}

function validateMatcher(matcher: unknown): void {
  if (!isPlainObject(matcher)) return;
  const entries = Object.entries(matcher);
  if (entries.length !== 1)
    throw new InvalidEventPatternError(`a filter has exactly one operator: ${JSON.stringify(matcher)}`);
  const [op, operand] = entries[0]!;
  if (op === "exists") {
    if (typeof operand !== "boolean") throw new InvalidEventPatternError("exists takes true or false");
  } else if (op === "anything-but") {
    for (const o of Array.isArray(operand) ? operand : [operand]) validateMatcher(o);
  } else {
    // The value is irrelevant: this evaluates the operator's operand checks.
    matchOne(0, matcher);
    matchOne("0.0.0.0", matcher);
  }
}

function matchObject(value: unknown, pattern: EventPattern): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === "$or") {
      if (!Array.isArray(rule) || rule.length < 2 || !rule.every(isPlainObject)) {
        throw new InvalidEventPatternError("$or takes an array of at least two patterns");
      }
      if (!rule.some((alternative) => matchObject(value, alternative as EventPattern))) return false;
      continue;
    }
    const field = isPlainObject(value) && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : MISSING;
    if (isPlainObject(rule)) {
      if (field === MISSING) {
        // A nested pattern made only of `exists: false` filters matches an absent object.
        if (!onlyAbsence(rule as EventPattern)) return false;
        continue;
      }
      const candidates = Array.isArray(field) ? field : [field];
      if (!candidates.some((candidate) => matchObject(candidate, rule as EventPattern))) return false;
      continue;
    }
    if (!Array.isArray(rule))
      throw new InvalidEventPatternError(`"${key}": a value in a pattern must be an array or an object`);
    if (!matchField(field, rule)) return false;
  }
  return true;
}

function onlyAbsence(pattern: EventPattern): boolean {
  return Object.values(pattern).every((rule) =>
    isPlainObject(rule)
      ? onlyAbsence(rule as EventPattern)
      : Array.isArray(rule) && rule.some((m) => isPlainObject(m) && (m as { exists?: unknown }).exists === false),
  );
}

function matchField(field: unknown, matchers: unknown[]): boolean {
  const values = field === MISSING ? [] : Array.isArray(field) ? field : [field];
  return matchers.some((matcher) => {
    if (isPlainObject(matcher) && "exists" in matcher) {
      const wanted = (matcher as { exists: unknown }).exists;
      if (typeof wanted !== "boolean") throw new InvalidEventPatternError("exists takes true or false");
      // `exists: true` needs a leaf value (not an object); an empty array has none.
      const present = values.some((v) => !isPlainObject(v));
      return wanted ? present : field === MISSING;
    }
    if (isPlainObject(matcher) && "anything-but" in matcher) {
      if (field === MISSING) return false;
      return (
        values.length > 0 && values.every((v) => !matchAnyOf(v, (matcher as Record<string, unknown>)["anything-but"]))
      );
    }
    return values.some((v) => matchOne(v, matcher));
  });
}

/** `anything-but`'s operand: a value, a list of values, or a prefix/suffix/wildcard/equals-ignore-case filter. */
function matchAnyOf(value: unknown, operand: unknown): boolean {
  if (Array.isArray(operand)) return operand.some((o) => matchOne(value, o));
  return matchOne(value, operand);
}

function matchOne(value: unknown, matcher: unknown): boolean {
  if (!isPlainObject(matcher)) return literalEquals(value, matcher);
  const entries = Object.entries(matcher as Record<string, unknown>);
  if (entries.length !== 1)
    throw new InvalidEventPatternError(`a filter has exactly one operator: ${JSON.stringify(matcher)}`);
  const [op, operand] = entries[0]!;
  switch (op) {
    case "prefix":
      if (isPlainObject(operand)) {
        const inner = (operand as Record<string, unknown>)["equals-ignore-case"];
        return (
          typeof value === "string" && typeof inner === "string" && value.toLowerCase().startsWith(inner.toLowerCase())
        );
      }
      return typeof value === "string" && typeof operand === "string" && value.startsWith(operand);
    case "suffix":
      if (isPlainObject(operand)) {
        const inner = (operand as Record<string, unknown>)["equals-ignore-case"];
        return (
          typeof value === "string" && typeof inner === "string" && value.toLowerCase().endsWith(inner.toLowerCase())
        );
      }
      return typeof value === "string" && typeof operand === "string" && value.endsWith(operand);
    case "equals-ignore-case":
      return typeof value === "string" && typeof operand === "string" && value.toLowerCase() === operand.toLowerCase();
    case "wildcard":
      if (typeof operand !== "string") throw new InvalidEventPatternError("wildcard takes a string");
      return typeof value === "string" && wildcardRegExp(operand).test(value);
    case "numeric":
      return typeof value === "number" && numericMatches(value, operand);
    case "cidr":
      if (typeof operand !== "string") throw new InvalidEventPatternError("cidr takes a string");
      return typeof value === "string" && cidrContains(operand, value);
    default:
      throw new InvalidEventPatternError(`unknown filter "${op}"`);
  }
}

function literalEquals(value: unknown, literal: unknown): boolean {
  if (typeof literal === "number" && typeof value === "number") return value === literal;
  return value === literal;
}

function wildcardRegExp(pattern: string): RegExp {
  const escaped = pattern
    .split(/(?<!\\)\*/)
    .map((part) => part.replace(/\\\*/g, "*").replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${escaped}$`, "s");
}

function numericMatches(value: number, operand: unknown): boolean {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) {
    throw new InvalidEventPatternError("numeric takes operator/number pairs");
  }
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i];
    const bound = operand[i + 1];
    if (typeof bound !== "number") throw new InvalidEventPatternError("numeric bounds are numbers");
    const ok =
      op === "="
        ? value === bound
        : op === ">"
          ? value > bound
          : op === ">="
            ? value >= bound
            : op === "<"
              ? value < bound
              : op === "<="
                ? value <= bound
                : null;
    if (ok === null) throw new InvalidEventPatternError(`unknown numeric operator "${String(op)}"`);
    if (!ok) return false;
  }
  return true;
}

function cidrContains(cidr: string, address: string): boolean {
  const [net, bitsText] = cidr.split("/");
  const bits = Number(bitsText);
  const netValue = ipv4(net ?? "");
  const addressValue = ipv4(address);
  if (netValue === null || !Number.isInteger(bits) || bits < 0 || bits > 32) {
    throw new InvalidEventPatternError(`cidr "${cidr}" is not an IPv4 CIDR block`);
  }
  if (addressValue === null) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (netValue & mask) >>> 0 === (addressValue & mask) >>> 0;
}

function ipv4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = value * 256 + Number(part);
  }
  return value >>> 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
