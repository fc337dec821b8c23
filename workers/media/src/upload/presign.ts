import { entityIdSchema } from "@questline/contracts/common";
import { QuestlineError } from "@questline/contracts/errors";
import { MEDIA_FILE_TYPES } from "@questline/contracts/media";
import { AwsClient } from "aws4fetch";
import { Hono } from "hono";
import * as z from "zod/mini";
import { type AppEnv, MAX_OBJECT_BYTES } from "../env";
import { incomingKey, newMediaId, sanitizeFileName } from "../keys";
import { invalidRequest } from "../validation";
import { recordEntity } from "./direct";
import { uploadMetadataSchema } from "./params";
import { storeValidated } from "./store";

/**
 * Presigned direct-to-R2 uploads (reference schema `GET /media/upload-url`). The client PUTs to
 * R2's S3 endpoint, into `<workspace>/incoming/<mediaId>/<name>` — a prefix the delivery route
 * never serves. `POST …/upload-url/:mediaId/complete` then streams the object through the same
 * validation as a direct upload into its final key and records the Media entity.
 */
export const presignRoutes = new Hono<AppEnv>();

export const PRESIGNED_URL_SECONDS = 900;

export const ALLOWED_CONTENT_TYPES = [
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/svg+xml",
  "image/bmp",
  "image/tiff",
  "video/mp4",
  "video/webm",
  "video/quicktime",
  "video/x-msvideo",
  "video/mpeg",
  "audio/mpeg",
  "audio/wav",
  "audio/ogg",
  "audio/aac",
  "audio/flac",
  "application/pdf",
] as const;

const uploadUrlQuerySchema = z.object({
  contentType: z.enum(ALLOWED_CONTENT_TYPES),
  fileName: z.string().check(z.minLength(1), z.maxLength(255)),
  fileSize: z.coerce.number().check(z.int(), z.positive()),
  fileType: z.enum(MEDIA_FILE_TYPES),
  mediaId: z.optional(z.undefined({ error: "replacing a file is not supported: media keys are immutable" })),
  scope: z._default(z.literal("workspace", { error: "only the workspace scope is supported" }), "workspace"),
});

presignRoutes.get("/", async (c) => {
  const parsed = uploadUrlQuerySchema.safeParse(c.req.query());
  if (!parsed.success) throw invalidRequest(parsed.error, "Invalid upload-url query");
  const q = parsed.data;
  if (q.fileSize > MAX_OBJECT_BYTES)
    throw new QuestlineError("request.too_large", `Files are limited to ${MAX_OBJECT_BYTES} bytes`);
  if (!c.env.R2_ACCESS_KEY_ID || !c.env.R2_SECRET_ACCESS_KEY) {
    throw new QuestlineError("upstream.unavailable", "Presigned uploads are not configured");
  }
  const mediaId = newMediaId();
  const key = incomingKey(c.get("identity").workspaceId, mediaId, sanitizeFileName(q.fileName));
  const metadataHeaders = {
    "x-amz-meta-media-id": mediaId,
    "x-amz-meta-original-file-name": encodeURIComponent(q.fileName),
  };
  const client = new AwsClient({
    accessKeyId: c.env.R2_ACCESS_KEY_ID,
    secretAccessKey: c.env.R2_SECRET_ACCESS_KEY,
    service: "s3",
    region: "auto",
  });
  const url = new URL(`https://${c.env.R2_ACCOUNT_ID}.r2.cloudflarestorage.com/${c.env.R2_BUCKET_NAME}/${key}`);
  url.searchParams.set("X-Amz-Expires", String(PRESIGNED_URL_SECONDS));
  const signed = await client.sign(
    new Request(url, { method: "PUT", headers: { "content-type": q.contentType, ...metadataHeaders } }),
    { aws: { signQuery: true, allHeaders: true } },
  );
  return c.json({ uploadUrl: signed.url, mediaId, expiresIn: PRESIGNED_URL_SECONDS, metadataHeaders });
});

const completeSchema = z.omit(uploadMetadataSchema, { fileName: true });

presignRoutes.post("/:mediaId/complete", async (c) => {
  const id = entityIdSchema.safeParse(c.req.param("mediaId"));
  if (!id.success) throw invalidRequest(id.error, "Invalid media id");
  const parsed = completeSchema.safeParse((await c.req.json().catch(() => null)) ?? {});
  if (!parsed.success) throw invalidRequest(parsed.error, "Invalid completion");
  const workspaceId = c.get("identity").workspaceId;
  const listing = await c.env.MEDIA.list({ prefix: `${workspaceId}/incoming/${id.data}/`, limit: 1 });
  const staged = listing.objects[0];
  if (!staged) throw new QuestlineError("resource.not_found", "Nothing was uploaded for this media id");
  const object = await c.env.MEDIA.get(staged.key);
  if (!object) throw new QuestlineError("resource.not_found", "Nothing was uploaded for this media id");
  const fileName = staged.key.slice(staged.key.lastIndexOf("/") + 1);
  const original = object.customMetadata?.["original-file-name"];
  let originalFileName = fileName;
  try {
    if (original) originalFileName = decodeURIComponent(original);
  } catch {
    // keep the sanitized name
  }
  const media = await storeValidated({
    bucket: c.env.MEDIA,
    workspaceId,
    mediaId: id.data,
    visibility: parsed.data.visibility,
    fileName,
    originalFileName,
    body: object.body,
    size: object.size,
    maxBytes: MAX_OBJECT_BYTES,
    ...(parsed.data.sha256 ? { declaredSha256: parsed.data.sha256 } : {}),
    tags: parsed.data.tags,
    translations: parsed.data.translations,
  }).finally(() => c.env.MEDIA.delete(staged.key));
  return c.json(await recordEntity(c, media), 201);
});
