import {
  type CreateSlideInput,
  createSlideSchema,
  type UpdateSlideInput,
  updateSlideSchema,
} from "@questline/contracts";
import type { LifecycleFields, ResourceDefinition } from "../../records/resource-routes";
import { mergeTranslated, newTranslatedDraft } from "../../records/translated";

type SlideTranslation = CreateSlideInput["translations"][number];

/** A slide: per-language title and content blocks (text and media). */
export interface SlideData extends LifecycleFields {
  origin: "CATALOG" | "AI" | "CUSTOM";
  catalogSlideId?: string;
  defaultSlideLayoutId?: string;
  parentId?: string;
  parentType?: "learningPath" | "learningGroup";
  defaultLang: string;
  langs: string[];
  translations: SlideTranslation[];
  tags: string[];
  accountId?: string;
}

export const slideResource: ResourceDefinition<CreateSlideInput, UpdateSlideInput, SlideData> = {
  kind: "slide",
  publishing: "immediate",
  idField: "slideId",
  api: { tag: "Slides", operation: "slides", noun: "slide", component: "Slide", fields: ["tags", "translations"] },
  createSchema: createSlideSchema,
  updateSchema: updateSlideSchema,
  create(input, { identity }) {
    const { publish: _publish, ...rest } = newTranslatedDraft(input, "slideId");
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
        title: t.title,
        description: "",
        body: t.content.contents
          .map((block) => block.text ?? "")
          .filter(Boolean)
          .join("\n")
          .slice(0, 100_000),
      })),
      tags: data.tags,
      mediaRefs: data.translations
        .flatMap((t) => [t.image, ...t.content.contents.map((b) => b.media?.url)])
        .filter((ref): ref is string => ref !== undefined && ref.length <= 256)
        .slice(0, 50),
      payload: {
        ...(data.defaultSlideLayoutId !== undefined ? { defaultSlideLayoutId: data.defaultSlideLayoutId } : {}),
        ...(data.parentId !== undefined ? { parentId: data.parentId, parentType: data.parentType } : {}),
        translations: data.translations,
        ...(data.publishedAt !== undefined ? { publishedAt: data.publishedAt } : {}),
      },
    };
  },
};
