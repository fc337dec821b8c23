import { QuestlineError } from "@questline/contracts";
import { LogicEngine } from "json-logic-engine";
import { DateTime, type DurationLikeObject } from "luxon";

/**
 * JsonLogic rules (conditions and amount expressions), evaluated with json-logic-engine and
 * extended with `pow`, `sqrt` and date helpers (`min`/`max` are built in). Every evaluation is
 * synchronous, so the clock seen by `now` is fixed per call.
 */
export type JsonLogic = Record<string, unknown> | boolean | number | string | null;

let evaluationClock: Date | undefined;

const DATE_UNITS = ["years", "months", "weeks", "days", "hours", "minutes", "seconds"] as const;
type DateUnit = (typeof DATE_UNITS)[number];

function toDateTime(value: unknown, zone?: unknown): DateTime | null {
  let dt: DateTime;
  if (typeof value === "number") dt = DateTime.fromMillis(value, { zone: "utc" });
  else if (typeof value === "string") dt = DateTime.fromISO(value, { zone: "utc", setZone: true });
  else if (value instanceof Date) dt = DateTime.fromJSDate(value, { zone: "utc" });
  else return null;
  if (typeof zone === "string" && zone) dt = dt.setZone(zone);
  return dt.isValid ? dt : null;
}

function toUnit(value: unknown): DateUnit {
  const unit = typeof value === "string" && !value.endsWith("s") ? `${value}s` : value;
  return (DATE_UNITS as readonly unknown[]).includes(unit) ? (unit as DateUnit) : "days";
}

function num(value: unknown): number {
  return typeof value === "number" ? value : Number(value);
}

function createEngine(): LogicEngine {
  const engine = new LogicEngine(undefined, { maxDepth: 64, maxArrayLength: 10_000 });
  const method = (name: string, fn: (args: unknown[]) => unknown, deterministic = true) =>
    engine.addMethod(name, (args: unknown) => fn(Array.isArray(args) ? args : [args]), { deterministic });
  method("pow", ([base, exponent]) => num(base) ** num(exponent));
  method("sqrt", ([value]) => Math.sqrt(num(value)));
  method("floor", ([value]) => Math.floor(num(value)));
  method("ceil", ([value]) => Math.ceil(num(value)));
  method("round", ([value]) => Math.round(num(value)));
  method("abs", ([value]) => Math.abs(num(value)));
  // Dates: ISO-8601 strings or epoch milliseconds in, ISO strings or numbers out.
  method("now", () => (evaluationClock ?? new Date()).toISOString(), false);
  method("timestamp", ([date]) => toDateTime(date)?.toMillis() ?? null);
  method("date_add", ([date, amount, unit]) => {
    const dt = toDateTime(date);
    if (!dt) return null;
    const duration: DurationLikeObject = { [toUnit(unit)]: num(amount) };
    return dt.plus(duration).toUTC().toISO();
  });
  method("date_diff", ([later, earlier, unit]) => {
    const a = toDateTime(later);
    const b = toDateTime(earlier);
    if (!a || !b) return null;
    return a.diff(b, toUnit(unit)).as(toUnit(unit));
  });
  method("day_of_week", ([date, zone]) => toDateTime(date, zone)?.weekday ?? null);
  method("hour_of_day", ([date, zone]) => toDateTime(date, zone)?.hour ?? null);
  method(
    "date_format",
    ([date, format, zone]) => toDateTime(date, zone)?.toFormat(String(format ?? "yyyy-MM-dd")) ?? null,
  );
  return engine;
}

const engine = createEngine();

/** Operators a rule may use (built-ins plus our extensions). */
export function knownOperators(): string[] {
  return Object.keys(engine.methods);
}

/** The documented limits of a rule condition (checked before anything recurses into it). */
export const RULE_LIMITS = { maxDepth: 20, maxNodes: 2000 } as const;

/**
 * Walks the rule iteratively (client input never drives recursion): every object is a single
 * known operator, nesting stays within `RULE_LIMITS.maxDepth` and the rule within
 * `RULE_LIMITS.maxNodes` values.
 */
function structuralProblem(logic: unknown): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: logic, path: "", depth: 0 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    nodes += 1;
    if (nodes > RULE_LIMITS.maxNodes) return `rule: more than ${RULE_LIMITS.maxNodes} values`;
    if (depth > RULE_LIMITS.maxDepth) return `${path || "rule"}: nested deeper than ${RULE_LIMITS.maxDepth} levels`;
    if (value === null || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
      }
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length !== 1) {
      return `${path || "rule"}: an operation must have exactly one operator key (found ${keys.length})`;
    }
    const op = keys[0]!;
    if (!(op in engine.methods)) return `${path || "rule"}: unknown operator \`${op}\``;
    stack.push({ value: (value as Record<string, unknown>)[op], path: path ? `${path}.${op}` : op, depth: depth + 1 });
  }
  return null;
}

/**
 * Well-formedness check used when a rule is saved: every object is a single known operator
 * and the engine can compile it (arity and argument shapes).
 */
export function jsonLogicProblem(logic: unknown): string | null {
  const problem = structuralProblem(logic);
  if (problem) return problem;
  try {
    engine.build(logic);
    return null;
  } catch (err) {
    const type = err && typeof err === "object" && "type" in err ? String(err.type) : String(err);
    return `rule does not compile: ${type}`;
  }
}

/** Throws `rules.invalid_jsonlogic` naming the field when the rule is not well-formed. */
export function assertJsonLogic(logic: unknown, field: string): void {
  const problem = jsonLogicProblem(logic);
  if (problem) {
    throw new QuestlineError("rules.invalid_jsonlogic", `${field} is not valid JsonLogic`, {
      details: [{ path: field, message: problem }],
    });
  }
}

/** Evaluates a rule; a runtime failure (e.g. arithmetic on null) yields `undefined`. */
export function evaluate(logic: unknown, data: Record<string, unknown>, now: Date = new Date()): unknown {
  if (logic === undefined) return undefined;
  evaluationClock = now;
  try {
    return engine.run(logic, data);
  } catch {
    return undefined;
  } finally {
    evaluationClock = undefined;
  }
}

/** A missing or null condition matches everything. */
export function evaluateCondition(logic: unknown, data: Record<string, unknown>, now?: Date): boolean {
  if (logic === null || logic === undefined) return true;
  if (typeof logic === "object" && !Array.isArray(logic) && Object.keys(logic).length === 0) return true;
  return Boolean(engine.truthy(evaluate(logic, data, now)));
}

function toFiniteNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === "" || typeof value === "boolean") return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Mission increments: null, "" or not-a-number count as 1. */
export function evaluateIncrement(logic: unknown, data: Record<string, unknown>, now?: Date): number {
  if (logic === null || logic === undefined) return 1;
  return toFiniteNumber(evaluate(logic, data, now)) ?? 1;
}

/** Reward and target amounts: `null` when the expression gives nothing usable (skip it). */
export function evaluateAmount(logic: unknown, data: Record<string, unknown>, now?: Date): number | null {
  const n = toFiniteNumber(evaluate(logic, data, now));
  return n === null || n === 0 ? null : n;
}
