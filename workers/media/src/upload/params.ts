import { mediaTranslationSchema, QuestlineError, validationError } from "@questline/contracts";
import { z } from "zod";
import { VISIBILITIES } from "../keys";

const sha256Schema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters")
  .transform((s) => s.toLowerCase());

/** Upload metadata, shared by direct, multipart and presigned uploads. */
export const uploadMetadataSchema = z.object({
  fileName: z.string().min(1).max(255),
  visibility: z.enum(VISIBILITIES).default("private"),
  sha256: sha256Schema.optional(),
  tags: z.array(z.string().min(1).max(128)).max(50).default([]),
  translations: z.array(mediaTranslationSchema).max(10).default([]),
});
export type UploadMetadata = z.infer<typeof uploadMetadataSchema>;

/**
 * Direct uploads carry their metadata in the query (the body is the file):
 * `?fileName=&visibility=&sha256=&tags=a,b&translations=<JSON>`; the checksum may also come as
 * the `x-checksum-sha256` header.
 */
export function parseDirectUploadParams(url: URL, checksumHeader: string | undefined): UploadMetadata {
  const q = url.searchParams;
  let translations: unknown = [];
  const rawTranslations = q.get("translations");
  if (rawTranslations) {
    try {
      translations = JSON.parse(rawTranslations);
    } catch {
      throw new QuestlineError("request.validation_failed", "Invalid upload parameters", {
        details: [{ path: "translations", message: "must be a JSON array" }],
      });
    }
  }
  const parsed = uploadMetadataSchema.safeParse({
    fileName: q.get("fileName") ?? undefined,
    visibility: q.get("visibility") ?? undefined,
    sha256: checksumHeader ?? q.get("sha256") ?? undefined,
    tags: (q.get("tags") ?? "")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean),
    translations,
  });
  if (!parsed.success) throw validationError(parsed.error, "Invalid upload parameters");
  return parsed.data;
}

export function requireContentLength(header: string | undefined): number {
  const size = Number(header);
  if (header === undefined || header === "" || !Number.isSafeInteger(size) || size < 0) {
    throw new QuestlineError("request.validation_failed", "Uploads need a Content-Length header", {
      details: [{ path: "content-length", message: "required (streamed uploads are stored with a known length)" }],
    });
  }
  return size;
}
