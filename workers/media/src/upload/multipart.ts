import { entityIdSchema } from "@questline/contracts/common";
import { QuestlineError } from "@questline/contracts/errors";
import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import { type AppEnv, type Bindings, MAX_OBJECT_BYTES, MAX_PARTS, MIB, R2_MIN_PART_BYTES } from "../env";
import { mediaKey, newMediaId, sanitizeFileName } from "../keys";
import { invalidRequest } from "../validation";
import { recordEntity } from "./direct";
import { HashingCounter, sniffUpload } from "./inspect-stream";
import {
  deleteSession,
  listParts,
  loadSession,
  type MultipartSession,
  type PartMarker,
  savePart,
  saveSession,
} from "./multipart-session";
import { requireContentLength, uploadMetadataSchema } from "./params";
import { isDownloadOnlyType } from "./sniff";

/**
 * Multipart uploads for files above the direct limit, up to 5 GiB. The server fixes the part
 * size (all parts equal, ≥ 5 MiB, the last one may be smaller), so every part's length is known
 * and checked. Part 1's magic bytes must match the declared content type before it is accepted.
 */
export const multipartRoutes = new Hono<AppEnv>();

const createSchema = z.extend(uploadMetadataSchema, {
  fileSize: z.number().check(z.int(), z.positive()),
  contentType: z.string().check(z.regex(/^[A-Za-z]+\/[A-Za-z0-9.+-]+$/)),
});

function partSizeFor(env: Bindings, fileSize: number): number {
  const configured = Number(env.MULTIPART_PART_BYTES);
  const base = Number.isSafeInteger(configured) && configured >= R2_MIN_PART_BYTES ? configured : 8 * MIB;
  return Math.max(base, Math.ceil(fileSize / MAX_PARTS / MIB) * MIB);
}

function expectedPartSize(session: MultipartSession, n: number): number {
  return n < session.partCount ? session.partSize : session.fileSize - session.partSize * (session.partCount - 1);
}

async function sessionOr404(c: Context<AppEnv>): Promise<MultipartSession> {
  const id = entityIdSchema.safeParse(c.req.param("mediaId"));
  if (!id.success) throw invalidRequest(id.error, "Invalid media id");
  const session = await loadSession(c.env.MEDIA, c.get("identity").workspaceId, id.data);
  if (!session) throw new QuestlineError("resource.not_found", "No such multipart upload");
  return session;
}

multipartRoutes.post("/", async (c) => {
  const parsed = createSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) throw invalidRequest(parsed.error, "Invalid multipart upload");
  const input = parsed.data;
  if (input.fileSize > MAX_OBJECT_BYTES) {
    throw new QuestlineError("request.too_large", `Files are limited to ${MAX_OBJECT_BYTES} bytes`);
  }
  const workspaceId = c.get("identity").workspaceId;
  const mediaId = newMediaId();
  const fileName = sanitizeFileName(input.fileName);
  const key = mediaKey(workspaceId, input.visibility, mediaId, fileName);
  const partSize = partSizeFor(c.env, input.fileSize);
  const upload = await c.env.MEDIA.createMultipartUpload(key, {
    httpMetadata: { contentType: input.contentType },
    // The object's metadata is fixed here, before part 1 is sniffed (which must match the
    // declared type): a type served only as an attachment is marked now.
    customMetadata: {
      mediaId,
      originalFileName: input.fileName,
      sha256: input.sha256 ?? "",
      ...(isDownloadOnlyType(input.contentType) ? { downloadOnly: "1" } : {}),
    },
  });
  const session: MultipartSession = {
    mediaId,
    workspaceId,
    key,
    uploadId: upload.uploadId,
    fileName,
    originalFileName: input.fileName,
    contentType: input.contentType,
    visibility: input.visibility,
    fileSize: input.fileSize,
    partSize,
    partCount: Math.ceil(input.fileSize / partSize),
    ...(input.sha256 ? { sha256: input.sha256 } : {}),
    tags: input.tags,
    translations: input.translations,
    createdAt: new Date().toISOString(),
  };
  await saveSession(c.env.MEDIA, session);
  return c.json({ mediaId, uploadId: upload.uploadId, key, partSize, partCount: session.partCount }, 201);
});

multipartRoutes.get("/:mediaId", async (c) => {
  const session = await sessionOr404(c);
  const parts = await listParts(c.env.MEDIA, session);
  const have = new Set(parts.map((p) => p.partNumber));
  const missingParts = Array.from({ length: session.partCount }, (_, i) => i + 1).filter((n) => !have.has(n));
  return c.json({
    mediaId: session.mediaId,
    key: session.key,
    fileSize: session.fileSize,
    partSize: session.partSize,
    partCount: session.partCount,
    parts: parts.map(({ partNumber, size, etag, sha256 }) => ({ partNumber, size, etag, sha256 })),
    missingParts,
  });
});

multipartRoutes.put("/:mediaId/parts/:partNumber", async (c) => {
  const session = await sessionOr404(c);
  const n = Number(c.req.param("partNumber"));
  if (!Number.isInteger(n) || n < 1 || n > session.partCount) {
    throw new QuestlineError("request.validation_failed", `Part numbers run from 1 to ${session.partCount}`, {
      details: [{ path: "partNumber", message: `must be between 1 and ${session.partCount}` }],
    });
  }
  const expected = expectedPartSize(session, n);
  const size = requireContentLength(c.req.header("content-length"));
  if (size !== expected) {
    if (size > expected) throw new QuestlineError("request.too_large", `Part ${n} must be exactly ${expected} bytes`);
    throw new QuestlineError("request.validation_failed", `Part ${n} must be exactly ${expected} bytes`, {
      details: [{ path: "content-length", message: `expected ${expected}` }],
    });
  }
  let body = c.req.raw.body;
  if (!body) throw new QuestlineError("request.validation_failed", "The part is empty");
  const marker: Partial<PartMarker> = {};
  if (n === 1) {
    const { sniffed, stream } = await sniffUpload(body, session.contentType);
    body = stream;
    if (sniffed.width && sniffed.height) Object.assign(marker, { width: sniffed.width, height: sniffed.height });
    if (sniffed.downloadOnly) marker.downloadOnly = true;
  }
  const counter = new HashingCounter(expected);
  const upload = c.env.MEDIA.resumeMultipartUpload(session.key, session.uploadId);
  const part = await upload.uploadPart(
    n,
    body.pipeThrough(counter.transform).pipeThrough(new FixedLengthStream(expected)),
  );
  const sha256 = await counter.sha256Hex();
  const declared = c.req.header("x-checksum-sha256")?.toLowerCase();
  if (declared && declared !== sha256) {
    throw new QuestlineError("media.checksum_mismatch", `Part ${n}'s SHA-256 differs from the declared one`);
  }
  const saved: PartMarker = { ...marker, partNumber: n, etag: part.etag, size: expected, sha256 };
  await savePart(c.env.MEDIA, session, saved);
  return c.json({ partNumber: n, etag: part.etag, size: expected, sha256 });
});

multipartRoutes.post("/:mediaId/complete", async (c) => {
  const session = await sessionOr404(c);
  const parts = await listParts(c.env.MEDIA, session);
  const have = new Set(parts.map((p) => p.partNumber));
  const missing = Array.from({ length: session.partCount }, (_, i) => i + 1).filter((n) => !have.has(n));
  if (missing.length) {
    throw new QuestlineError("request.validation_failed", `Parts missing: ${missing.join(", ")}`, {
      details: missing.map((n) => ({ path: `parts.${n}`, message: "not uploaded" })),
    });
  }
  const upload = c.env.MEDIA.resumeMultipartUpload(session.key, session.uploadId);
  await upload.complete(parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })));
  const sha256 = await wholeObjectSha256(c.env.MEDIA, session.key);
  if (session.sha256 && sha256 !== session.sha256) {
    await c.env.MEDIA.delete(session.key);
    await deleteSession(c.env.MEDIA, session.workspaceId, session.mediaId);
    throw new QuestlineError(
      "media.checksum_mismatch",
      "The SHA-256 of the assembled file differs from the declared one",
    );
  }
  const first = parts[0];
  const media = await recordEntity(c, {
    mediaId: session.mediaId,
    key: session.key,
    fileName: session.fileName,
    originalFileName: session.originalFileName,
    contentType: session.contentType,
    fileType: fileTypeOf(session.contentType),
    visibility: session.visibility,
    fileSize: session.fileSize,
    sha256,
    ...(first?.width && first.height ? { width: first.width, height: first.height } : {}),
    downloadOnly: first?.downloadOnly ?? false,
    tags: session.tags,
    translations: session.translations,
  });
  await deleteSession(c.env.MEDIA, session.workspaceId, session.mediaId);
  return c.json(media, 201);
});

multipartRoutes.delete("/:mediaId", async (c) => {
  const session = await sessionOr404(c);
  await c.env.MEDIA.resumeMultipartUpload(session.key, session.uploadId).abort();
  await deleteSession(c.env.MEDIA, session.workspaceId, session.mediaId);
  return c.body(null, 204);
});

/** Streams the assembled object through a DigestStream (never buffered). */
async function wholeObjectSha256(bucket: R2Bucket, key: string): Promise<string> {
  const object = await bucket.get(key);
  if (!object) throw new QuestlineError("internal.error", "The completed object is missing");
  const digest = new crypto.DigestStream("SHA-256");
  await object.body.pipeTo(digest);
  return [...new Uint8Array(await digest.digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function fileTypeOf(contentType: string): "image" | "video" | "audio" | "document" {
  const top = contentType.split("/")[0];
  return top === "image" || top === "video" || top === "audio" ? top : "document";
}
