import {
  type CreateLearningGroupInput,
  createLearningGroupSchema,
  type UpdateLearningGroupInput,
  updateLearningGroupSchema,
} from "@questline/contracts";
import { assertJsonLogic } from "../../engine/jsonlogic";
import { itemReferences } from "../item-references";
import { type ContentLifecycle, type ContentResource, defined, requireDefaultLang } from "../resource";

export interface LearningItemRef {
  itemId: string;
  itemType: "activity" | "game" | "quiz" | "story" | "slide" | "learningGroup";
  languages?: string[];
}

/** A learning group (`story`, `test` or `custom`): ordered items, rules over them, an optional parent. */
export interface LearningGroupData extends ContentLifecycle {
  learningGroupId: string;
  type: "story" | "test" | "custom";
  origin: "CATALOG" | "AI" | "CUSTOM";
  catalogLearningGroupId?: string;
  image?: string;
  estimatedDuration?: number;
  defaultLang: string;
  langs: string[];
  completionRule: Record<string, unknown> | null;
  outcomeRule: Record<string, unknown> | null;
  startRule: Record<string, unknown> | null;
  source?: string;
  parentId?: string;
  parentType?: "learningPath" | "learningGroup";
  translations: CreateLearningGroupInput["translations"];
  items: LearningItemRef[];
  tags: string[];
  accountId?: string;
}

function assertRules(data: Pick<LearningGroupData, "completionRule" | "outcomeRule" | "startRule">): void {
  for (const field of ["completionRule", "outcomeRule", "startRule"] as const) {
    if (data[field] !== null) assertJsonLogic(data[field], field);
  }
}

export const learningGroupResource: ContentResource<
  CreateLearningGroupInput,
  UpdateLearningGroupInput,
  LearningGroupData
> = {
  entityType: "learningGroup",
  idField: "learningGroupId",
  createSchema: createLearningGroupSchema,
  updateSchema: updateLearningGroupSchema,
  liveStructure: "learningGroup",
  references: (input, workspaceId) => itemReferences(workspaceId, input.items),
  create(input, { id, identity }) {
    const {
      learningGroupId: _id,
      publish: _publish,
      tags,
      items,
      completionRule,
      outcomeRule,
      startRule,
      ...rest
    } = input;
    const data: LearningGroupData = {
      ...defined(rest),
      learningGroupId: id,
      type: input.type,
      origin: input.origin,
      defaultLang: input.defaultLang,
      translations: input.translations,
      langs: input.translations.map((t) => t.lang),
      items: items.map(({ _type: _ignored, ...item }) => item),
      completionRule: completionRule ?? null,
      outcomeRule: outcomeRule ?? null,
      startRule: startRule ?? null,
      tags: tags ?? [],
      state: "DRAFT",
      ...(identity.accountId ? { accountId: identity.accountId } : {}),
    };
    assertRules(data);
    return data;
  },
  update(current, input) {
    const { items, ...rest } = input;
    const next: LearningGroupData = {
      ...current,
      ...defined(rest),
      ...(items ? { items: items.map(({ _type: _ignored, ...item }) => item) } : {}),
    };
    if (input.translations) {
      requireDefaultLang(current.defaultLang, input.translations);
      next.langs = input.translations.map((t) => t.lang);
    }
    assertRules(next);
    return next;
  },
  catalog(data) {
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
        type: data.type,
        ...(data.estimatedDuration !== undefined ? { estimatedDuration: data.estimatedDuration } : {}),
        ...(data.image !== undefined ? { image: data.image } : {}),
        ...(data.parentId !== undefined ? { parentId: data.parentId, parentType: data.parentType } : {}),
        itemCount: data.items.length,
        items: data.items,
        ...(data.publishedAt !== undefined ? { publishedAt: data.publishedAt } : {}),
      },
    };
  },
};
