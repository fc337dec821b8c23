import { z } from "zod";
import { entityIdSchema, jsonLogicSchema, langSchema, originSchema } from "./common";

export const LEARNING_ITEM_TYPES = ["activity", "game", "quiz", "story", "slide", "learningGroup"] as const;

export const learningPathItemSchema = z.strictObject({
  itemId: entityIdSchema,
  itemType: z.enum(LEARNING_ITEM_TYPES),
  languages: z.array(langSchema).max(10).optional(),
});

export const learningPathTranslationSchema = z.strictObject({
  lang: langSchema,
  title: z.string().min(1).max(300),
  description: z.string().max(10_000).optional(),
  image: z.url().optional(),
});

/** `POST /dashboard/learning-paths` body (reference: dashboard `learningPaths/create`). */
export const createLearningPathSchema = z
  .strictObject({
    learningPathId: entityIdSchema.optional(),
    origin: originSchema.default("CUSTOM"),
    title: z.string().min(1).max(300),
    description: z.string().max(10_000).optional(),
    image: z.url().optional(),
    estimatedDuration: z.number().min(0).max(100_000),
    defaultLang: langSchema,
    items: z
      .array(learningPathItemSchema.extend({ _type: z.literal("reference").optional() }))
      .max(200)
      .default([]),
    translations: z.array(learningPathTranslationSchema).min(1).max(10),
    completionRule: jsonLogicSchema.nullable().optional(),
    outcomeRule: jsonLogicSchema.nullable().optional(),
    startRule: jsonLogicSchema.nullable().optional(),
    tags: z.array(z.string().min(1).max(128)).max(50).optional(),
    publish: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    const langs = value.translations.map((t) => t.lang);
    if (new Set(langs).size !== langs.length) {
      ctx.addIssue({ code: "custom", path: ["translations"], message: "each language may appear once" });
    }
    if (!langs.includes(value.defaultLang)) {
      ctx.addIssue({
        code: "custom",
        path: ["translations"],
        message: "must include a translation for defaultLang",
      });
    }
  });
export type CreateLearningPathInput = z.infer<typeof createLearningPathSchema>;

/** `PUT /dashboard/learning-paths/{id}` body: the editable fields, all optional. */
export const updateLearningPathSchema = z.strictObject({
  title: z.string().min(1).max(300).optional(),
  description: z.string().max(10_000).optional(),
  image: z.url().optional(),
  estimatedDuration: z.number().min(0).max(100_000).optional(),
  items: z.array(learningPathItemSchema).max(200).optional(),
  translations: z.array(learningPathTranslationSchema).min(1).max(10).optional(),
  completionRule: jsonLogicSchema.nullable().optional(),
  outcomeRule: jsonLogicSchema.nullable().optional(),
  startRule: jsonLogicSchema.nullable().optional(),
  tags: z.array(z.string().min(1).max(128)).max(50).optional(),
});
export type UpdateLearningPathInput = z.infer<typeof updateLearningPathSchema>;

/** The learning path as the API returns it (reference: `CreateLearningPathResponse`). */
export const learningPathSchema = z.object({
  learningPathId: z.string(),
  origin: originSchema,
  title: z.string(),
  description: z.string().optional(),
  image: z.string().optional(),
  estimatedDuration: z.number(),
  defaultLang: langSchema,
  langs: z.array(langSchema),
  items: z.array(learningPathItemSchema),
  /** Each with the record's id, owner, region and timestamps, as the reference lists translations. */
  translations: z.array(
    learningPathTranslationSchema.extend({
      learningPathId: z.string(),
      accountId: z.string().optional(),
      workspaceId: z.string(),
      sourceRegion: z.string(),
      createdAt: z.string(),
      updatedAt: z.string(),
    }),
  ),
  completionRule: jsonLogicSchema.nullable().optional(),
  outcomeRule: jsonLogicSchema.nullable().optional(),
  startRule: jsonLogicSchema.nullable().optional(),
  tags: z.array(z.string()),
  stage: z.enum(["DRAFT", "PUBLISHED", "ARCHIVED"]),
  version: z.number().int(),
  accountId: z.string().optional(),
  workspaceId: z.string(),
  sourceRegion: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().optional(),
});
export type LearningPath = z.infer<typeof learningPathSchema>;
