import {
  type CreateQuizInput,
  createQuizSchema,
  QUIZ_OPTIONS,
  type UpdateQuizInput,
  updateQuizSchema,
} from "@questline/contracts";
import type { LifecycleFields, ResourceDefinition } from "../../records/resource-routes";
import { mergeTranslated, newTranslatedDraft } from "../../records/translated";

type QuizTranslation = CreateQuizInput["translations"][number];

/** A quiz: one question, four options, one of them correct (`correctAnswer`). */
export interface QuizData extends LifecycleFields {
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

export const quizResource: ResourceDefinition<CreateQuizInput, UpdateQuizInput, QuizData> = {
  kind: "quiz",
  publishing: "immediate",
  idField: "quizId",
  api: { tag: "Quizzes", operation: "quizzes", noun: "quiz", component: "Quiz", fields: ["tags", "translations"] },
  createSchema: createQuizSchema,
  updateSchema: updateQuizSchema,
  create(input, { identity }) {
    const { publish: _publish, ...rest } = newTranslatedDraft(input, "quizId");
    return {
      ...rest,
      tags: input.tags ?? [],
      ...(identity.accountId ? { accountId: identity.accountId } : {}),
    };
  },
  update: mergeTranslated,
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
