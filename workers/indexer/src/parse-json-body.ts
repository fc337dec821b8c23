import { QuestlineError, validationError } from "@questline/contracts";
import type { z } from "zod";

/** Parses the (already verified) raw body against a contract schema: 400 with field details otherwise. */
export function parseJsonBody<S extends z.ZodType>(raw: string, schema: S, what: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new QuestlineError("request.bad_json", "Body is not valid JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const err = validationError(parsed.error, `Malformed ${what}`);
    throw new QuestlineError("indexer.bad_batch", err.message, { details: err.details });
  }
  return parsed.data;
}
