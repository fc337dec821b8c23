import { z } from "zod";

/** A language tag: `en`, `it`, `pt-BR`. The reference schema enumerates CLDR locales; we accept their shape. */
export const langSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a language tag such as `en` or `pt-BR`");
export type Lang = z.infer<typeof langSchema>;

export const ORIGINS = ["CATALOG", "AI", "CUSTOM"] as const;
export const originSchema = z.enum(ORIGINS);

export const CONTENT_STATES = ["DRAFT", "PUBLISHED", "ARCHIVED"] as const;
export const contentStateSchema = z.enum(CONTENT_STATES);
export type ContentState = z.infer<typeof contentStateSchema>;

/** A JSON Logic expression; well-formedness is checked by the core's rules engine on save. */
export const jsonLogicSchema = z.record(z.string(), z.unknown());

export const entityIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 characters of [A-Za-z0-9_-]");

export const paginationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  nextToken: z.string().max(2048).optional(),
});
