import { z } from "zod";
import { entityIdSchema, jsonLogicSchema, langSchema, originSchema } from "./common";
import { learningPathItemSchema } from "./learning-paths";

/**
 * Request shapes of learning groups, quizzes and slides (reference: dashboard `learningGroups/*`,
 * `quizzes/*`, `slides/*`; app `quizzes/{id}/submit`, `slides/{id}/submit`).
 */
export const LEARNING_PARENT_TYPES = ["learningPath", "learningGroup"] as const;
export const learningParentTypeSchema = z.enum(LEARNING_PARENT_TYPES);
export const LEARNING_PROGRESS_STATES = ["START", "IN_PROGRESS", "COMPLETE"] as const;
export const learningProgressSchema = z.enum(LEARNING_PROGRESS_STATES);
export type LearningProgressState = z.infer<typeof learningProgressSchema>;

const tagIds = z.array(entityIdSchema).max(50);

function languagesOnce(
  value: { defaultLang: string; translations?: readonly { lang: string }[] | undefined },
  ctx: z.RefinementCtx,
): void {
  if (!value.translations) return;
  const langs = value.translations.map((t) => t.lang);
  if (new Set(langs).size !== langs.length) {
    ctx.addIssue({ code: "custom", path: ["translations"], message: "each language may appear once" });
  }
  if (!langs.includes(value.defaultLang)) {
    ctx.addIssue({ code: "custom", path: ["translations"], message: "must include a translation for defaultLang" });
  }
}

// ---- quizzes ----------------------------------------------------------------------------

export const QUIZ_OPTIONS = ["opt1", "opt2", "opt3", "opt4"] as const;
export const quizOptionSchema = z.enum(QUIZ_OPTIONS);
export const QUIZ_DIFFICULTIES = ["EASY", "MEDIUM", "HARD"] as const;

const optionText = z.string().trim().min(1).max(500);

/** One language of a quiz: the question and exactly four options (single choice). */
export const quizTranslationSchema = z
  .strictObject({
    lang: langSchema,
    question: z.string().trim().min(1).max(2_000),
    opt1: optionText,
    opt2: optionText,
    opt3: optionText,
    opt4: optionText,
    explanation: z.string().min(1).max(5_000).optional(),
  })
  .superRefine((t, ctx) => {
    const seen = new Map<string, string>();
    for (const opt of QUIZ_OPTIONS) {
      const key = t[opt].toLowerCase();
      const first = seen.get(key);
      if (first) ctx.addIssue({ code: "custom", path: [opt], message: `repeats ${first}: options must differ` });
      else seen.set(key, opt);
    }
  });

const quizFields = {
  difficulty: z.enum(QUIZ_DIFFICULTIES),
  correctAnswer: quizOptionSchema,
  placement: z.enum(["STANDALONE", "STORY", "NEWS"]).default("STANDALONE"),
  storyId: entityIdSchema.optional(),
  source: z.string().max(500).optional(),
  parentId: entityIdSchema.optional(),
  parentType: learningParentTypeSchema.optional(),
  tags: tagIds.optional(),
};

export const createQuizSchema = z
  .strictObject({
    quizId: entityIdSchema.optional(),
    origin: originSchema.default("CUSTOM"),
    catalogQuizId: entityIdSchema.optional(),
    defaultLang: langSchema,
    translations: z.array(quizTranslationSchema).min(1).max(10),
    publish: z.boolean().optional(),
    ...quizFields,
  })
  .superRefine(languagesOnce);
export type CreateQuizInput = z.infer<typeof createQuizSchema>;

export const updateQuizSchema = z.strictObject({
  difficulty: quizFields.difficulty.optional(),
  correctAnswer: quizFields.correctAnswer.optional(),
  placement: z.enum(["STANDALONE", "STORY", "NEWS"]).optional(),
  storyId: quizFields.storyId,
  source: quizFields.source,
  parentId: quizFields.parentId,
  parentType: quizFields.parentType,
  tags: quizFields.tags,
  translations: z.array(quizTranslationSchema).min(1).max(10).optional(),
});
export type UpdateQuizInput = z.infer<typeof updateQuizSchema>;

/** `POST /app/quizzes/{id}/submit`. */
export const submitQuizSchema = z.strictObject({
  answer: quizOptionSchema,
  context: z.string().min(1).max(100).default("default"),
  progress: learningProgressSchema.default("COMPLETE"),
  lang: langSchema.optional(),
  parentId: entityIdSchema.optional(),
  parentType: learningParentTypeSchema.optional(),
});
export type SubmitQuizInput = z.infer<typeof submitQuizSchema>;

// ---- slides -----------------------------------------------------------------------------

export const slideContentSchema = z.strictObject({
  background: z.string().max(200).optional(),
  textColor: z.string().max(50).optional(),
  boxColor: z.string().max(50).optional(),
  contents: z
    .array(
      z.strictObject({
        type: z.enum(["slide", "media"]),
        text: z.string().max(20_000).optional(),
        media: z
          .strictObject({ type: z.enum(["decor", "image", "video"]).optional(), url: z.url().optional() })
          .optional(),
      }),
    )
    .max(50),
});

export const slideTranslationSchema = z.strictObject({
  lang: langSchema,
  title: z.string().min(1).max(300),
  image: z.url().optional(),
  content: slideContentSchema,
});

export const createSlideSchema = z
  .strictObject({
    slideId: entityIdSchema.optional(),
    origin: originSchema.default("CUSTOM"),
    catalogSlideId: entityIdSchema.optional(),
    defaultLang: langSchema,
    defaultSlideLayoutId: z.string().max(64).optional(),
    parentId: entityIdSchema.optional(),
    parentType: learningParentTypeSchema.optional(),
    translations: z.array(slideTranslationSchema).min(1).max(10),
    tags: tagIds.optional(),
    publish: z.boolean().optional(),
  })
  .superRefine(languagesOnce);
export type CreateSlideInput = z.infer<typeof createSlideSchema>;

export const updateSlideSchema = z.strictObject({
  defaultSlideLayoutId: z.string().max(64).optional(),
  parentId: entityIdSchema.optional(),
  parentType: learningParentTypeSchema.optional(),
  translations: z.array(slideTranslationSchema).min(1).max(10).optional(),
  tags: tagIds.optional(),
});
export type UpdateSlideInput = z.infer<typeof updateSlideSchema>;

/** `POST /app/slides/{id}/submit`. */
export const submitSlideSchema = z.strictObject({
  progress: learningProgressSchema,
  context: z.string().min(1).max(100).default("default"),
  lang: langSchema.optional(),
  parentId: entityIdSchema.optional(),
  parentType: learningParentTypeSchema.optional(),
});
export type SubmitSlideInput = z.infer<typeof submitSlideSchema>;

// ---- learning groups --------------------------------------------------------------------

export const LEARNING_GROUP_TYPES = ["story", "test", "custom"] as const;

export const learningGroupTranslationSchema = z.strictObject({
  lang: langSchema,
  title: z.string().min(1).max(300),
  description: z.string().max(10_000).optional(),
  image: z.url().optional(),
});

const groupItems = z
  .array(learningPathItemSchema.extend({ _type: z.literal("reference").optional() }))
  .max(200)
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    for (const [i, item] of items.entries()) {
      const key = `${item.itemType}#${item.itemId}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: [i], message: "each item may appear once" });
      seen.add(key);
    }
  });

export const createLearningGroupSchema = z
  .strictObject({
    learningGroupId: entityIdSchema.optional(),
    type: z.enum(LEARNING_GROUP_TYPES).default("custom"),
    origin: originSchema.default("CUSTOM"),
    catalogLearningGroupId: entityIdSchema.optional(),
    image: z.url().optional(),
    estimatedDuration: z.number().min(0).max(100_000).optional(),
    defaultLang: langSchema,
    completionRule: jsonLogicSchema.nullable().optional(),
    outcomeRule: jsonLogicSchema.nullable().optional(),
    startRule: jsonLogicSchema.nullable().optional(),
    source: z.string().max(500).optional(),
    parentId: entityIdSchema.optional(),
    parentType: learningParentTypeSchema.optional(),
    translations: z.array(learningGroupTranslationSchema).min(1).max(10),
    items: groupItems.default([]),
    tags: tagIds.optional(),
    publish: z.boolean().optional(),
  })
  .superRefine(languagesOnce);
export type CreateLearningGroupInput = z.infer<typeof createLearningGroupSchema>;

export const updateLearningGroupSchema = z.strictObject({
  type: z.enum(LEARNING_GROUP_TYPES).optional(),
  image: z.url().optional(),
  estimatedDuration: z.number().min(0).max(100_000).optional(),
  completionRule: jsonLogicSchema.nullable().optional(),
  outcomeRule: jsonLogicSchema.nullable().optional(),
  startRule: jsonLogicSchema.nullable().optional(),
  source: z.string().max(500).optional(),
  parentId: entityIdSchema.optional(),
  parentType: learningParentTypeSchema.optional(),
  translations: z.array(learningGroupTranslationSchema).min(1).max(10).optional(),
  items: groupItems.optional(),
  tags: tagIds.optional(),
});
export type UpdateLearningGroupInput = z.infer<typeof updateLearningGroupSchema>;
