import { QuestlineError } from "@questline/contracts";
import type { MiddlewareHandler } from "hono";

/**
 * `app.use(requiredConfiguration([...]))`: refuses every request with 500
 * `internal.misconfigured` while one of the named bindings (secrets, usually) is absent or
 * empty, instead of failing later in some route with a confusing error (an HMAC key of length
 * 0, an unsigned call to the core). The answer and the log line name the missing bindings,
 * never a value. The check runs once per environment object — once per isolate in
 * production — and its result is kept.
 */
export function requiredConfiguration<E extends { Bindings: object }>(names: readonly string[]): MiddlewareHandler<E> {
  const verdicts = new WeakMap<object, readonly string[]>();
  return async (c, next) => {
    const env = (c.env ?? {}) as Record<string, unknown>;
    let missing = verdicts.get(env);
    if (missing === undefined) {
      missing = names.filter((name) => isAbsent(env[name]));
      verdicts.set(env, missing);
    }
    if (missing.length > 0) throw misconfigured(missing);
    await next();
  };
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

function misconfigured(missing: readonly string[]): QuestlineError {
  const list = missing.join(", ");
  return new QuestlineError("internal.misconfigured", `The service is missing required configuration: ${list}`, {
    cause: `missing bindings: ${list}`,
  });
}
