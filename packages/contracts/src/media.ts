import { z } from "zod";
import { entityIdSchema, langSchema } from "./common";

/** Media kinds, as in the reference schema's `fileType`. */
export const MEDIA_FILE_TYPES = ["image", "video", "audio", "document", "other"] as const;
export const MEDIA_VISIBILITIES = ["public", "private"] as const;

export const mediaTranslationSchema = z.object({
  lang: langSchema,
  label: z.string().min(1).max(500),
  description: z.string().min(1).max(5_000).optional(),
});
export type MediaTranslation = z.infer<typeof mediaTranslationSchema>;

/**
 * What the media worker sends the AWS core (`POST /dashboard/media`) once an object is stored
 * and validated. Everything here was measured by the worker (type from magic bytes, size,
 * SHA-256, dimensions), except tags and translations, which the uploader chose.
 */
export const createMediaRequestSchema = z.strictObject({
  mediaId: entityIdSchema,
  key: z.string().min(1).max(512),
  fileName: z.string().min(1).max(255),
  originalFileName: z.string().min(1).max(255),
  contentType: z.string().regex(/^[A-Za-z]+\/[A-Za-z0-9.+-]+$/),
  fileType: z.enum(MEDIA_FILE_TYPES),
  visibility: z.enum(MEDIA_VISIBILITIES),
  fileSize: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  downloadOnly: z.boolean().default(false),
  tags: z.array(z.string().min(1).max(128)).max(50).default([]),
  translations: z.array(mediaTranslationSchema).max(10).default([]),
});
export type CreateMediaRequest = z.infer<typeof createMediaRequestSchema>;

export const mediaSchema = createMediaRequestSchema.extend({
  workspaceId: z.string(),
  version: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Media = z.infer<typeof mediaSchema>;
