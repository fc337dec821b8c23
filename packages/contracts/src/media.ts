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

/**
 * Media object keys in canonical form, the one validator of the edge and the core:
 *   `<workspaceId>/<visibility>/<mediaId>/<fileName>`
 * exactly four segments; no empty, `.` or `..` segment, no backslash, no percent-encoding
 * (so no encoded separator), nothing outside `[A-Za-z0-9._-]`; the file name starts with a
 * letter or digit and holds no `..`. A key either is canonical or is refused; nothing is
 * normalised, so the key that is checked is the key that is stored and served.
 */
export const MEDIA_KEY_PATTERN =
  /^([A-Za-z0-9_-]{10})\/(public|private)\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9][A-Za-z0-9._-]{0,127})$/;

export interface MediaKeyParts {
  workspaceId: string;
  visibility: (typeof MEDIA_VISIBILITIES)[number];
  mediaId: string;
  fileName: string;
  key: string;
}

/** The parts of a canonical media key, or null for anything else. */
export function parseMediaKey(key: string): MediaKeyParts | null {
  const match = MEDIA_KEY_PATTERN.exec(key);
  if (!match) return null;
  const [, workspaceId = "", visibility, mediaId = "", fileName = ""] = match;
  if (fileName.includes("..")) return null;
  return { workspaceId, visibility: visibility as MediaKeyParts["visibility"], mediaId, fileName, key };
}

/**
 * Why `key` cannot be the key of this media in this workspace (null when it can): it must be
 * canonical, in `workspaceId`, and name the record's own id, visibility and file name.
 */
export function mediaKeyProblem(
  key: string,
  expected: { workspaceId: string; mediaId?: string; visibility?: string; fileName?: string },
): string | null {
  const parts = parseMediaKey(key);
  if (!parts) return "must be <workspaceId>/<public|private>/<mediaId>/<fileName> in canonical form";
  if (parts.workspaceId !== expected.workspaceId) return "must be in the caller's workspace";
  if (expected.mediaId !== undefined && parts.mediaId !== expected.mediaId) return "must name this media id";
  if (expected.visibility !== undefined && parts.visibility !== expected.visibility) {
    return "must name this media's visibility";
  }
  if (expected.fileName !== undefined && parts.fileName !== expected.fileName) return "must end in this file name";
  return null;
}
