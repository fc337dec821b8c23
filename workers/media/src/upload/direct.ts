import { QuestlineError } from "@questline/contracts/errors";
import type { Context } from "hono";
import { createMediaEntity } from "../core/core-client";
import { type AppEnv, maxDirectUploadBytes } from "../env";
import { newMediaId, sanitizeFileName } from "../keys";
import { parseDirectUploadParams, requireContentLength } from "./params";
import { storeValidated } from "./store";

/** POST|PUT /dashboard/media — the body is the file, streamed straight into R2. */
export async function uploadDirect(c: Context<AppEnv>): Promise<Response> {
  const maxBytes = maxDirectUploadBytes(c.env);
  const size = requireContentLength(c.req.header("content-length"));
  if (size > maxBytes) {
    throw new QuestlineError("request.too_large", `Direct uploads are limited to ${maxBytes} bytes; use multipart`);
  }
  const params = parseDirectUploadParams(new URL(c.req.url), c.req.header("x-checksum-sha256"));
  const body = c.req.raw.body;
  if (!body || size === 0) throw new QuestlineError("request.validation_failed", "The upload is empty");
  const identity = c.get("identity");
  const media = await storeValidated({
    bucket: c.env.MEDIA,
    workspaceId: identity.workspaceId,
    mediaId: newMediaId(),
    visibility: params.visibility,
    fileName: sanitizeFileName(params.fileName),
    originalFileName: params.fileName,
    body,
    size,
    maxBytes,
    ...(params.sha256 ? { declaredSha256: params.sha256 } : {}),
    tags: params.tags,
    translations: params.translations,
  });
  return c.json(await recordEntity(c, media), 201);
}

/** Records the Media entity in the core; if that fails the object is removed again. */
export async function recordEntity(c: Context<AppEnv>, media: Parameters<typeof createMediaEntity>[1]) {
  try {
    const entity = await createMediaEntity(
      { env: c.env, identity: c.get("identity"), requestId: c.get("requestId") },
      media,
    );
    return { ...(entity as object), url: publicUrl(c, media.key) };
  } catch (err) {
    await c.env.MEDIA.delete(media.key);
    throw err;
  }
}

export function publicUrl(c: Context<AppEnv>, key: string): string {
  return `${new URL(c.req.url).origin}/files/${key}`;
}
