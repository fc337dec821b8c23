import { langSchema } from "@questline/contracts";
import { z } from "zod";
import type { LifecycleFields, ResourceDefinition } from "../records/resource-routes";
import { idSchema, originSchema, withoutDefaults } from "../records/schemas";
import { mergeTranslated, newTranslatedDraft, type Translation, translationsSchema } from "../records/translated";

/** A tag (`namespace` + `variant`), attached to activities, users, configurations; drives TAG matching. */
export interface TagData extends LifecycleFields {
  /** Absent on tags stored before it was recorded (shown as CUSTOM). */
  origin?: "CATALOG" | "AI" | "CUSTOM";
  namespace: string;
  variant: string;
  priority: number;
  defaultLang: string;
  langs: string[];
  translations: Translation[];
}

const token = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, "letters, digits and _ . : - only");

export const createTagSchema = z.strictObject({
  tagId: idSchema.optional(),
  origin: originSchema.default("CUSTOM"),
  namespace: token,
  variant: token,
  priority: z.number().int().min(0).max(1_000).default(0),
  defaultLang: langSchema,
  translations: translationsSchema,
});
export const updateTagSchema = withoutDefaults(createTagSchema).omit({ tagId: true, origin: true }).partial();

export const tagResource: ResourceDefinition<
  z.infer<typeof createTagSchema>,
  z.infer<typeof updateTagSchema>,
  TagData
> = {
  kind: "tag",
  publishing: "staged",
  idField: "tagId",
  api: { tag: "Tags", operation: "tags", noun: "tag", component: "Tag", fields: ["translations"] },
  createSchema: createTagSchema,
  updateSchema: updateTagSchema,
  create: (input) => newTranslatedDraft(input, "tagId"),
  update: mergeTranslated,
  view: (record) => ({ origin: "CUSTOM", ...record.data }),
};
