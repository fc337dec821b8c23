import { entityIdSchema, langSchema, ORIGINS, QuestlineError } from "@questline/contracts";
import { z } from "zod";
import { assertJsonLogic } from "./jsonlogic";
import { MATCH_TYPES, matchSpecProblem } from "./matching";

/** Zod pieces shared by the engine's configuration payloads. */
export const idSchema = entityIdSchema;
export const jsonLogicField = z.union([z.record(z.string(), z.unknown()), z.boolean(), z.number()]);
export const nullableJsonLogic = jsonLogicField.nullable();
export const matchTypeSchema = z.enum(MATCH_TYPES);
export const originSchema = z.enum(ORIGINS);
export const tagIdsSchema = z.array(idSchema).max(50);

export const translationSchema = z.strictObject({
  lang: langSchema,
  label: z.string().min(1).max(500),
  description: z.string().max(5_000).optional(),
});
export type Translation = z.infer<typeof translationSchema>;

/** 1–10 translations, each language once, including `defaultLang` (checked by `assertLanguages`). */
export const translationsSchema = z.array(translationSchema).min(1).max(10);

export function assertLanguages(defaultLang: string, translations: readonly Translation[]): string[] {
  const langs = translations.map((t) => t.lang);
  const problem =
    new Set(langs).size !== langs.length
      ? "each language may appear once"
      : !langs.includes(defaultLang)
        ? "must include a translation for defaultLang"
        : null;
  if (problem) {
    throw new QuestlineError("request.validation_failed", "Request body is invalid", {
      details: [{ path: "translations", message: problem }],
    });
  }
  return langs;
}

export function assertRules(fields: Record<string, unknown>): void {
  for (const [field, logic] of Object.entries(fields)) {
    if (logic !== undefined && logic !== null) assertJsonLogic(logic, field);
  }
}

export function assertMatch(
  field: string,
  spec: { matchType: (typeof MATCH_TYPES)[number]; matchEntityId?: string | null | undefined },
): void {
  const problem = matchSpecProblem(spec);
  if (problem) {
    throw new QuestlineError("request.validation_failed", "Request body is invalid", {
      details: [{ path: field, message: problem }],
    });
  }
}

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

interface Translated {
  defaultLang: string;
  translations: Translation[];
}

/**
 * The create step every translated configuration shares: the client-chosen id is not data
 * (the router keys the record by it), `langs` follows from the translations, and a new
 * configuration starts as a DRAFT.
 */
export function newTranslatedDraft<I extends Translated, K extends keyof I>(input: I, idField: K) {
  const { [idField]: _id, ...rest } = input;
  return { ...rest, langs: assertLanguages(input.defaultLang, input.translations), state: "DRAFT" as const };
}

/** The update step they share: the fields the PUT sets replace the stored ones; `langs` is re-derived. */
export function mergeTranslated<D extends Translated & { langs: string[] }>(current: D, input: Partial<D>): D {
  const next = { ...current, ...definedEntries(input) };
  return { ...next, langs: assertLanguages(next.defaultLang, next.translations) };
}
