import {
  type CreateQuizInput,
  createQuizSchema,
  QUIZ_OPTIONS,
  type UpdateQuizInput,
  updateQuizSchema,
} from "@questline/contracts";
import { type ContentLifecycle, type ContentResource, defined, requireDefaultLang } from "../resource";

type QuizTranslation = CreateQuizInput["translations"][number];

/** A quiz: one question, four options, one of them correct (`correctAnswer`). */
export interface QuizData extends ContentLifecycle {
  quizId: string;
  origin: "CATALOG" | "AI" | "CUSTOM";
  catalogQuizId?: string;
  difficulty: "EASY" | "MEDIUM" | "HARD";
  correctAnswer: (typeof QUIZ_OPTIONS)[number];
  placement: "STANDALONE" | "STORY" | "NEWS";
  storyId?: string;
  source?: string;
  parentId?: string;
  parentType?: "learningPath" | "learningGroup";
  defaultLang: string;
  langs: string[];
  translations: QuizTranslation[];
  tags: string[];
  accountId?: string;
}

export const quizResource: ContentResource<CreateQuizInput, UpdateQuizInput, QuizData> = {
  entityType: "quiz",
  idField: "quizId",
  createSchema: createQuizSchema,
  updateSchema: updateQuizSchema,
  create(input, { id, identity }) {
    const { quizId: _id, publish: _publish, tags, ...rest } = input;
    return {
      ...defined(rest),
      quizId: id,
      origin: input.origin,
      difficulty: input.difficulty,
      correctAnswer: input.correctAnswer,
      placement: input.placement,
      defaultLang: input.defaultLang,
      translations: input.translations,
      langs: input.translations.map((t) => t.lang),
      tags: tags ?? [],
      state: "DRAFT",
      ...(identity.accountId ? { accountId: identity.accountId } : {}),
    };
  },
  update(current, input) {
    const next: QuizData = { ...current, ...defined(input) };
    if (input.translations) {
      requireDefaultLang(current.defaultLang, input.translations);
      next.langs = input.translations.map((t) => t.lang);
    }
    return next;
  },
  catalog(data) {
    return {
      state: data.state,
      origin: data.origin,
      defaultLang: data.defaultLang,
      texts: data.translations.map((t) => ({
        lang: t.lang,
        title: t.question,
        description: "",
        body: QUIZ_OPTIONS.map((opt) => t[opt]).join("\n"),
      })),
      tags: data.tags,
      // Display data only: the correct answer and the explanation (which usually gives it away) stay out.
      payload: {
        difficulty: data.difficulty,
        placement: data.placement,
        ...(data.storyId !== undefined ? { storyId: data.storyId } : {}),
        ...(data.parentId !== undefined ? { parentId: data.parentId, parentType: data.parentType } : {}),
        translations: data.translations.map(({ lang, question, opt1, opt2, opt3, opt4 }) => ({
          lang,
          question,
          opt1,
          opt2,
          opt3,
          opt4,
        })),
        ...(data.publishedAt !== undefined ? { publishedAt: data.publishedAt } : {}),
      },
    };
  },
};
