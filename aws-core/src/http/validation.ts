import { QuestlineError, validationError } from "@questline/contracts";
import type { Context } from "hono";
import type { z } from "zod";
import type { CoreEnv } from "./env";

/** 400 `request.unknown_field` when a strict schema saw an unknown key, else `request.validation_failed`. */
export function toValidationError(error: z.ZodError, what = "Request body"): QuestlineError {
  const unknown = error.issues.flatMap((i) =>
    i.code === "unrecognized_keys" ? i.keys.map((key) => [...i.path.map(String), key].join(".")) : [],
  );
  return validationError(
    error,
    unknown.length ? `${what} has unknown field(s): ${unknown.join(", ")}` : `${what} is invalid`,
  );
}

/** Reads and validates the JSON body (already size- and depth-checked by `bodyGuard`). */
export async function readJson<S extends z.ZodType>(c: Context<CoreEnv>, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  let raw: unknown;
  try {
    raw = text.trim() === "" ? undefined : JSON.parse(text);
  } catch {
    throw new QuestlineError("request.bad_json", "The request body is not valid JSON");
  }
  if (raw === undefined) throw new QuestlineError("request.bad_json", "The request body is empty");
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw toValidationError(parsed.error);
  return parsed.data;
}

/** Validates the query string (single values) against a schema. */
export function readQuery<S extends z.ZodType>(c: Context<CoreEnv>, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw toValidationError(parsed.error, "Query string");
  return parsed.data;
}
