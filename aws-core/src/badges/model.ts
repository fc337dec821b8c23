import { langSchema } from "@questline/contracts";
import { z } from "zod";
import type { LifecycleFields, ResourceDefinition } from "../records/resource-routes";
import { idSchema, originSchema, tagIdsSchema, withoutDefaults } from "../records/schemas";
import { mergeTranslated, newTranslatedDraft, type Translation, translationsSchema } from "../records/translated";

/** A badge configuration: awarded by BADGE rewards, only while PUBLISHED. */
export interface BadgeConfigurationData extends LifecycleFields {
  name: string;
  origin: "CATALOG" | "AI" | "CUSTOM";
  /** A media reference (media id or URL). */
  image: string;
  progressSourceEntityType?: "MissionConfiguration" | "LearningPath";
  progressSourceEntityId?: string;
  defaultLang: string;
  langs: string[];
  translations: Translation[];
  tags: string[];
}

export const createBadgeConfigurationSchema = z.strictObject({
  badgeConfigurationId: idSchema.optional(),
  name: z.string().min(1).max(200),
  origin: originSchema.default("CUSTOM"),
  catalogBadgeConfigurationId: idSchema.optional(),
  image: z.string().min(1).max(2_048),
  progressSourceEntityType: z.enum(["MissionConfiguration", "LearningPath"]).optional(),
  progressSourceEntityId: idSchema.optional(),
  defaultLang: langSchema,
  translations: translationsSchema,
  tags: tagIdsSchema.default([]),
});
export const updateBadgeConfigurationSchema = withoutDefaults(createBadgeConfigurationSchema)
  .omit({ badgeConfigurationId: true, origin: true })
  .partial();

export const badgeConfigurationResource: ResourceDefinition<
  z.infer<typeof createBadgeConfigurationSchema>,
  z.infer<typeof updateBadgeConfigurationSchema>,
  BadgeConfigurationData
> = {
  kind: "badgeConfiguration",
  publishing: "staged",
  idField: "badgeConfigurationId",
  api: {
    tag: "BadgeConfigurations",
    operation: "badgeConfigurations",
    noun: "badge configuration",
    component: "BadgeConfiguration",
    fields: ["tags", "translations"],
  },
  archivable: true,
  createSchema: createBadgeConfigurationSchema,
  updateSchema: updateBadgeConfigurationSchema,
  create: (input) => newTranslatedDraft(input, "badgeConfigurationId"),
  update: mergeTranslated,
  catalog(data) {
    return {
      state: data.state,
      origin: data.origin,
      defaultLang: data.defaultLang,
      texts: data.translations.map((t) => ({ lang: t.lang, title: t.label, description: t.description ?? "" })),
      tags: data.tags,
      mediaRefs: data.image.length <= 256 ? [data.image] : [],
      payload: { name: data.name, image: data.image },
    };
  },
};
