import { langSchema } from "@questline/contracts";
import { z } from "zod";
import type { ConfigResource, LifecycleFields } from "../engine/config-routes";
import {
  idSchema,
  mergeTranslated,
  newTranslatedDraft,
  type Translation,
  translationsSchema,
  withoutDefaults,
} from "../engine/schemas";

/** A tag (`namespace` + `variant`), attached to activities, users, configurations; drives TAG matching. */
export interface TagData extends LifecycleFields {
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
  namespace: token,
  variant: token,
  priority: z.number().int().min(0).max(1_000).default(0),
  defaultLang: langSchema,
  translations: translationsSchema,
});
export const updateTagSchema = withoutDefaults(createTagSchema).omit({ tagId: true }).partial();

export const tagResource: ConfigResource<z.infer<typeof createTagSchema>, z.infer<typeof updateTagSchema>, TagData> = {
  kind: "tag",
  idField: "tagId",
  createSchema: createTagSchema,
  updateSchema: updateTagSchema,
  create: (input) => newTranslatedDraft(input, "tagId"),
  update: mergeTranslated,
};
