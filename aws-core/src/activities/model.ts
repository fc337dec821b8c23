import type { Identity } from "@questline/contracts";
import { langSchema } from "@questline/contracts";
import { z } from "zod";
import type { LifecycleFields, ResourceDefinition } from "../records/resource-routes";
import { definedEntries, idSchema, originSchema, tagIdsSchema, withoutDefaults } from "../records/schemas";
import { assertLanguages, type Translation, translationsSchema } from "../records/translated";

/** An Activity: something a user can do, reported through activity logs. */
export interface ActivityData extends LifecycleFields {
  name: string;
  origin: "CATALOG" | "AI" | "CUSTOM";
  catalogActivityId?: string;
  defaultLang: string;
  langs: string[];
  translations: Translation[];
  tags: string[];
  accountId?: string;
}

export const createActivitySchema = z.strictObject({
  activityId: idSchema.optional(),
  name: z.string().min(1).max(200),
  origin: originSchema.default("CUSTOM"),
  catalogActivityId: idSchema.optional(),
  defaultLang: langSchema,
  translations: translationsSchema,
  tags: tagIdsSchema.default([]),
});
export const updateActivitySchema = withoutDefaults(createActivitySchema)
  .omit({ activityId: true, origin: true })
  .partial();

export const activityResource: ResourceDefinition<
  z.infer<typeof createActivitySchema>,
  z.infer<typeof updateActivitySchema>,
  ActivityData
> = {
  kind: "activity",
  publishing: "staged",
  idField: "activityId",
  api: {
    tag: "Activities",
    operation: "activities",
    noun: "activity",
    component: "Activity",
    fields: ["tags", "translations"],
  },
  createSchema: createActivitySchema,
  updateSchema: updateActivitySchema,
  create(input, { identity }: { identity: Identity }) {
    const { activityId: _id, ...rest } = input;
    return {
      ...rest,
      langs: assertLanguages(input.defaultLang, input.translations),
      state: "DRAFT",
      ...(identity.accountId ? { accountId: identity.accountId } : {}),
    };
  },
  update(current, input) {
    const next = { ...current, ...definedEntries(input) };
    return { ...next, langs: assertLanguages(next.defaultLang, next.translations) };
  },
  catalog(data) {
    return {
      state: data.state,
      origin: data.origin,
      defaultLang: data.defaultLang,
      texts: data.translations.map((t) => ({ lang: t.lang, title: t.label, description: t.description ?? "" })),
      tags: data.tags,
      payload: { name: data.name, langs: data.langs },
    };
  },
};
