import type {
  CreateLearningPathInput,
  Identity,
  LearningPath,
  learningPathTranslationSchema,
  UpdateLearningPathInput,
} from "@questline/contracts";
import { QuestlineError } from "@questline/contracts";
import type { z } from "zod";
import type { CatalogInput, RecordContent } from "../../records/store";

/**
 * The stored record: the learning path without the envelope fields (version, account,
 * workspace, region, timestamps), its lifecycle kept as `state` (shown as `stage`).
 */
export type LearningPathData = Omit<
  LearningPath,
  "version" | "accountId" | "workspaceId" | "sourceRegion" | "createdAt" | "updatedAt" | "stage" | "translations"
> & { state: LearningPath["stage"]; translations: z.infer<typeof learningPathTranslationSchema>[] };

export function newLearningPathData(
  id: string,
  input: CreateLearningPathInput,
  identity: Identity,
  now: string,
): LearningPathData {
  const published = input.publish === true;
  return {
    learningPathId: id,
    origin: input.origin,
    title: input.title,
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.image !== undefined ? { image: input.image } : {}),
    estimatedDuration: input.estimatedDuration,
    defaultLang: input.defaultLang,
    langs: input.translations.map((t) => t.lang),
    items: input.items.map(({ _type: _ignored, ...item }) => item),
    translations: input.translations,
    completionRule: input.completionRule ?? null,
    outcomeRule: input.outcomeRule ?? null,
    startRule: input.startRule ?? null,
    tags: input.tags ?? [],
    state: published ? "PUBLISHED" : "DRAFT",
    ...(identity.accountId ? { accountId: identity.accountId } : {}),
    ...(published ? { publishedAt: now } : {}),
  };
}

/**
 * Applies a PUT. Top-level title/description mirror the default language's translation:
 * changing one updates the other. The state is kept (a published path stays published).
 */
export function applyLearningPathUpdate(current: LearningPathData, input: UpdateLearningPathInput): LearningPathData {
  const next: LearningPathData = { ...current };
  for (const key of Object.keys(input) as (keyof UpdateLearningPathInput)[]) {
    if (input[key] !== undefined) Object.assign(next, { [key]: input[key] });
  }
  if (input.translations) {
    const langs = input.translations.map((t) => t.lang);
    if (new Set(langs).size !== langs.length || !langs.includes(current.defaultLang)) {
      throw new QuestlineError("request.validation_failed", "Request body is invalid", {
        details: [{ path: "translations", message: "each language once, including defaultLang" }],
      });
    }
    next.langs = langs;
  }
  const translations = next.translations.map((t) =>
    t.lang === next.defaultLang
      ? {
          ...t,
          ...(input.title !== undefined ? { title: input.title } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
        }
      : t,
  );
  next.translations = translations;
  const main = translations.find((t) => t.lang === next.defaultLang);
  if (main && input.title === undefined) next.title = main.title;
  if (main && input.description === undefined && main.description !== undefined) next.description = main.description;
  return next;
}

/** The catalog document the edge indexes: searchable texts per language plus display data. */
export function learningPathCatalog(data: LearningPathData): CatalogInput {
  return {
    state: data.state,
    origin: data.origin,
    defaultLang: data.defaultLang,
    texts: data.translations.map((t) => ({ lang: t.lang, title: t.title, description: t.description ?? "" })),
    tags: data.tags,
    mediaRefs: [data.image, ...data.translations.map((t) => t.image)].filter(
      (ref): ref is string => ref !== undefined && ref.length <= 256,
    ),
    payload: {
      estimatedDuration: data.estimatedDuration,
      langs: data.langs,
      itemCount: data.items.length,
      items: data.items,
      ...(data.image !== undefined ? { image: data.image } : {}),
      ...(data.publishedAt !== undefined ? { publishedAt: data.publishedAt } : {}),
    },
  };
}

export function learningPathContent(data: LearningPathData): RecordContent<LearningPathData> {
  return { data, catalog: learningPathCatalog(data) };
}
