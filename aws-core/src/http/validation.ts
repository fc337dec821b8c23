import { type ErrorDetail, QuestlineError } from "@questline/contracts";
import type { Context } from "hono";
import type { z } from "zod";
import type { CoreEnv } from "./env";

/** Turns zod issues into field-level details; an unknown key is reported with its own path. */
export function issueDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...base, key].join("."), message: "unknown field" }));
    }
    return [{ path: base.join("."), message: issue.message }];
  });
}

/** 400 `request.unknown_field` when a strict schema saw an unknown key, else `request.validation_failed`. */
export function toValidationError(error: z.ZodError, what = "Request body"): QuestlineError {
  const details = issueDetails(error);
  const unknown = error.issues.filter((i) => i.code === "unrecognized_keys");
  if (unknown.length > 0) {
    const fields = details.filter((d) => d.message === "unknown field").map((d) => d.path);
    return new QuestlineError("request.unknown_field", `${what} has unknown field(s): ${fields.join(", ")}`, {
      details,
    });
  }
  return new QuestlineError("request.validation_failed", `${what} is invalid`, { details });
}

/** Reads and validates the JSON body: 400 `request.bad_json` when it is not JSON. */
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
