import { z } from "@hono/zod-openapi";
import {
  type CreateLearningGroupInput,
  createLearningGroupSchema,
  type UpdateLearningGroupInput,
  updateLearningGroupSchema,
} from "@questline/contracts";
import type { LifecycleFields, ResourceDefinition } from "../../records/resource-routes";
import { mergeTranslated, newTranslatedDraft } from "../../records/translated";
import { assertJsonLogic } from "../../rules/jsonlogic";
import { itemReferences } from "../item-references";
import { liveStructureWrites } from "../live-structure";

export interface LearningItemRef {
  itemId: string;
  itemType: "activity" | "game" | "quiz" | "story" | "slide" | "learningGroup";
  languages?: string[];
}

/** A learning group (`story`, `test` or `custom`): ordered items, rules over them, an optional parent. */
export interface LearningGroupData extends LifecycleFields {
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

/** The reference's item payloads carry a `_type` tag that is not stored. */
function withoutTypeTag<I extends { _type?: unknown }>({ _type: _ignored, ...item }: I): Omit<I, "_type"> {
  return item;
}

export const learningGroupResource: ResourceDefinition<
  CreateLearningGroupInput,
  UpdateLearningGroupInput,
  LearningGroupData
> = {
  kind: "learningGroup",
  publishing: "immediate",
  idField: "learningGroupId",
  api: {
    tag: "Learning Groups",
    operation: "learningGroups",
    noun: "learning group",
    component: "LearningGroup",
    fields: ["tags", "translations"],
    extra: {
      title: z.string().openapi({ description: "The default language's title" }),
      description: z.string().optional().openapi({ description: "The default language's description" }),
    },
  },
  // The reference shows the default language's title (and description) on the group itself.
  view: ({ data }) => {
    const text = data.translations.find((t) => t.lang === data.defaultLang) ?? data.translations[0];
    return {
      ...(text ? { title: text.title, ...(text.description ? { description: text.description } : {}) } : {}),
      ...data,
    };
  },
  createSchema: createLearningGroupSchema,
  updateSchema: updateLearningGroupSchema,
  companions: (workspaceId, id) => liveStructureWrites(workspaceId, "learningGroup", id),
  references: (input, workspaceId) => itemReferences(workspaceId, input.items),
  create(input, { identity }) {
    const { publish: _publish, items, ...rest } = newTranslatedDraft(input, "learningGroupId");
    const data: LearningGroupData = {
      ...rest,
      items: items.map(withoutTypeTag),
      completionRule: input.completionRule ?? null,
      outcomeRule: input.outcomeRule ?? null,
      startRule: input.startRule ?? null,
      tags: input.tags ?? [],
      ...(identity.accountId ? { accountId: identity.accountId } : {}),
    };
    assertRules(data);
    return data;
  },
  update(current, input) {
    const { items, ...rest } = input;
    const next = mergeTranslated(current, { ...rest, ...(items ? { items: items.map(withoutTypeTag) } : {}) });
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
