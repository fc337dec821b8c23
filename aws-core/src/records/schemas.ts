import { entityIdSchema, ORIGINS, QuestlineError } from "@questline/contracts";
import { z } from "zod";

/** Zod pieces and helpers shared by the records' payloads. */
export const idSchema = entityIdSchema;
export const originSchema = z.enum(ORIGINS);
export const tagIdsSchema = z.array(idSchema).max(50);

export function invalid(path: string, message: string): QuestlineError {
  return new QuestlineError("request.validation_failed", "Request body is invalid", { details: [{ path, message }] });
}

/** Keeps only the keys of `input` that are defined (for PUT merges). */
export function definedEntries<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The same object schema with the defaults of its top-level fields removed: the base of a
 * PUT schema (`withoutDefaults(create).omit(…).partial()`). zod's `.partial()` keeps a
 * field's `.default()`, so a PUT omitting e.g. `tags` would otherwise reset it; without the
 * defaults an omitted field stays undefined and the update keeps the stored value.
 */
export function withoutDefaults<S extends z.ZodObject>(schema: S): S {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [key, field instanceof z.ZodDefault ? field.unwrap() : field]),
  );
  return schema.extend(shape) as unknown as S;
}
