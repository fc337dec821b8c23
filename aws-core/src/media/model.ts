import { z } from "@hono/zod-openapi";
import type { CreateMediaRequest, Media } from "@questline/contracts";
import { mediaSchema, mediaTranslationSchema } from "@questline/contracts";
import { coreConfig } from "../config";
import { ownerFields, ownerShape, translationsView, translationViewSchema } from "../records/owner";
import type { CatalogInput, RecordContent, StoredRecord } from "../records/store";

/** The stored record: what the media worker measured and the uploader chose (no envelope fields). */
export type MediaData = CreateMediaRequest;

export function toMedia(item: StoredRecord<MediaData>): Media {
  return {
    ...item.data,
    workspaceId: item.workspaceId,
    version: item.version,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

/**
 * The record as the dashboard's media library shows it (`GET`/`PATCH /dashboard/media/…`): with
 * its owner and region, `scope` (every media belongs to its workspace), and translations as the
 * reference lists them. Its delivery URL is the media host's (`/files/{key}`).
 */
export const mediaRecordSchema = z
  .object({
    ...mediaSchema.shape,
    ...ownerShape,
    scope: z.enum(["workspace"]).openapi({ description: "Media belong to their workspace" }),
    url: z.url().optional().openapi({
      description:
        "Where the file is delivered: the media host's `/files/{key}` (private files need a token or a signed URL)",
      example: "https://media.questline.example/files/Ws1234567a/public/FUMzPf00hz_kcj2R2Hlzq/cover.png",
    }),
    translations: z.array(translationViewSchema("mediaId", z.object(mediaTranslationSchema.shape))),
  })
  .openapi("MediaRecord", { description: "A stored media object's record (its file is on the media host)" });

export function toMediaRecord(item: StoredRecord<MediaData>): z.infer<typeof mediaRecordSchema> {
  const owner = ownerFields(item);
  const base = coreConfig().mediaPublicUrl?.replace(/\/+$/, "");
  return {
    ...toMedia(item),
    ...owner,
    scope: "workspace",
    // Keys are canonical (MEDIA_KEY_PATTERN): nothing in them needs encoding.
    ...(base ? { url: `${base}/files/${item.data.key}` } : {}),
    translations: translationsView(
      "mediaId",
      { id: item.id, owner, createdAt: item.createdAt, updatedAt: item.updatedAt },
      item.data.translations,
    ) as z.infer<typeof mediaRecordSchema>["translations"],
  };
}

/**
 * The catalog document the edge indexes: one text per translation (label as title), or the
 * original file name when there is none; display data for media pickers in `payload`.
 */
export function mediaCatalog(data: MediaData): CatalogInput {
  const texts = data.translations.length
    ? data.translations.map((t) => ({ lang: t.lang, title: t.label, description: t.description ?? "" }))
    : [{ lang: "en", title: data.originalFileName, description: "" }];
  return {
    state: "PUBLISHED",
    origin: "CUSTOM",
    defaultLang: texts[0]?.lang ?? "en",
    texts,
    tags: data.tags,
    mediaRefs: [data.key],
    payload: {
      key: data.key,
      fileName: data.fileName,
      contentType: data.contentType,
      fileType: data.fileType,
      visibility: data.visibility,
      fileSize: data.fileSize,
      ...(data.width && data.height ? { width: data.width, height: data.height } : {}),
    },
  };
}

export function mediaContent(data: MediaData): RecordContent<MediaData> {
  return { data, catalog: mediaCatalog(data) };
}
