import { QuestlineError } from "@questline/contracts/errors";
import { mediaTranslationSchema } from "@questline/contracts/media";
import * as z from "zod/mini";
import { VISIBILITIES } from "../keys";
import { invalidRequest } from "../validation";

const sha256Schema = z.pipe(
  z.string().check(z.regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters")),
  z.transform((s: string) => s.toLowerCase()),
);

/** Upload metadata, shared by direct, multipart and presigned uploads. */
export const uploadMetadataSchema = z.object({
  fileName: z.string().check(z.minLength(1), z.maxLength(255)),
  visibility: z._default(z.enum(VISIBILITIES), "private"),
  sha256: z.optional(sha256Schema),
  tags: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.maxLength(50)), []),
  translations: z._default(z.array(mediaTranslationSchema).check(z.maxLength(10)), []),
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
  if (!parsed.success) throw invalidRequest(parsed.error, "Invalid upload parameters");
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
