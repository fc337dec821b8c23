import {
  type CreateSlideInput,
  createSlideSchema,
  type UpdateSlideInput,
  updateSlideSchema,
} from "@questline/contracts";
import { type ContentLifecycle, type ContentResource, defined, requireDefaultLang } from "../resource";

type SlideTranslation = CreateSlideInput["translations"][number];

/** A slide: per-language title and content blocks (text and media). */
export interface SlideData extends ContentLifecycle {
  slideId: string;
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

export const slideResource: ContentResource<CreateSlideInput, UpdateSlideInput, SlideData> = {
  entityType: "slide",
  idField: "slideId",
  createSchema: createSlideSchema,
  updateSchema: updateSlideSchema,
  create(input, { id, identity }) {
    const { slideId: _id, publish: _publish, tags, ...rest } = input;
    return {
      ...defined(rest),
      slideId: id,
      origin: input.origin,
      defaultLang: input.defaultLang,
      translations: input.translations,
      langs: input.translations.map((t) => t.lang),
      tags: tags ?? [],
      state: "DRAFT",
      ...(identity.accountId ? { accountId: identity.accountId } : {}),
    };
  },
  update(current, input) {
    const next: SlideData = { ...current, ...defined(input) };
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
