import { QuestlineError } from "@questline/contracts/errors";
import type { CreateMediaRequest, MediaTranslation } from "@questline/contracts/media";
import type { StoredMediaMetadata } from "../delivery/representation";
import { mediaKey, type Visibility } from "../keys";
import { HashingCounter, sniffUpload } from "./inspect-stream";

export interface StoreInput {
  bucket: R2Bucket;
  workspaceId: string;
  mediaId: string;
  visibility: Visibility;
  fileName: string;
  originalFileName: string;
  body: ReadableStream<Uint8Array>;
  /** Exact byte count (Content-Length, or the size of the staged object). */
  size: number;
  maxBytes: number;
  declaredSha256?: string;
  tags: string[];
  translations: MediaTranslation[];
}

/**
 * Validate-before-visible for a single stream:
 * 1. the first bytes are read and sniffed before any write starts (415 on a refused type);
 * 2. the rest streams through a hashing counter and a FixedLengthStream into R2 `put`, with the
 *    client's SHA-256 handed to R2, which refuses to commit an object whose digest differs —
 *    an oversize or checksum-failing upload therefore never becomes an object;
 * 3. the key is fresh (new media id), so nothing is overwritten and nobody can know the key
 *    before this returns.
 */
export async function storeValidated(input: StoreInput): Promise<CreateMediaRequest> {
  if (input.size > input.maxBytes) {
    await input.body.cancel();
    throw new QuestlineError("request.too_large", `The file is larger than ${input.maxBytes} bytes`);
  }
  const { sniffed, stream } = await sniffUpload(input.body);
  const key = mediaKey(input.workspaceId, input.visibility, input.mediaId, input.fileName);
  const counter = new HashingCounter(input.maxBytes);
  const metadata: StoredMediaMetadata = {
    mediaId: input.mediaId,
    originalFileName: input.originalFileName,
    sha256: input.declaredSha256 ?? "",
    ...(sniffed.downloadOnly ? { downloadOnly: "1" } : {}),
    ...(sniffed.width ? { width: String(sniffed.width), height: String(sniffed.height) } : {}),
  };
  const sized = stream.pipeThrough(counter.transform).pipeThrough(new FixedLengthStream(input.size));
  try {
    await input.bucket.put(key, sized, {
      httpMetadata: { contentType: sniffed.contentType },
      customMetadata: metadata as unknown as Record<string, string>,
      ...(input.declaredSha256 ? { sha256: input.declaredSha256 } : {}),
    });
  } catch (err) {
    throw translatePutError(err, input.declaredSha256 !== undefined);
  }
  const sha256 = await counter.sha256Hex();
  if (input.declaredSha256 && sha256 !== input.declaredSha256) {
    await input.bucket.delete(key);
    throw new QuestlineError(
      "media.checksum_mismatch",
      "The SHA-256 of the received bytes differs from the declared one",
    );
  }
  return {
    mediaId: input.mediaId,
    key,
    fileName: input.fileName,
    originalFileName: input.originalFileName,
    contentType: sniffed.contentType,
    fileType: sniffed.fileType,
    visibility: input.visibility,
    fileSize: input.size,
    sha256,
    ...(sniffed.width && sniffed.height ? { width: sniffed.width, height: sniffed.height } : {}),
    downloadOnly: sniffed.downloadOnly,
    tags: input.tags,
    translations: input.translations,
  };
}

function translatePutError(err: unknown, checksumDeclared: boolean): unknown {
  if (err instanceof QuestlineError) return err;
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof QuestlineError) return cause;
  const message = err instanceof Error ? err.message : String(err);
  if (checksumDeclared && /digest|checksum|sha-?256/i.test(message)) {
    return new QuestlineError(
      "media.checksum_mismatch",
      "The SHA-256 of the received bytes differs from the declared one",
    );
  }
  if (/length|too large|exceed/i.test(message)) {
    return new QuestlineError("request.validation_failed", "The body length differs from Content-Length");
  }
  return err;
}
