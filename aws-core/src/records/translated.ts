import { langSchema, QuestlineError } from "@questline/contracts";
import { z } from "zod";
import { definedEntries } from "./schemas";

/** A configuration's translation (label and description per language). */
export const translationSchema = z.strictObject({
  lang: langSchema,
  label: z.string().min(1).max(500),
  description: z.string().max(5_000).optional(),
});
export type Translation = z.infer<typeof translationSchema>;

/** 1–10 translations, each language once, including `defaultLang` (checked by `assertLanguages`). */
export const translationsSchema = z.array(translationSchema).min(1).max(10);

/** Each language once, including `defaultLang`; returns the languages (a record's `langs`). */
export function assertLanguages(defaultLang: string, translations: readonly { lang: string }[]): string[] {
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

interface Translated {
  defaultLang: string;
  translations: readonly { lang: string }[];
}

/**
 * The create step every translated record shares (configurations and content): the
 * client-chosen id is not data (the router keys the record by it), `langs` follows from the
 * translations, and a new record starts as a DRAFT.
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
