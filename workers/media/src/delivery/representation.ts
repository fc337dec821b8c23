import type { Visibility } from "../keys";
import { isDownloadOnlyType } from "../upload/sniff";
import type { Validators } from "./http-semantics";

/** What we store with each object (R2 customMetadata), read back on delivery. */
export interface StoredMediaMetadata {
  mediaId: string;
  originalFileName: string;
  sha256: string;
  /** "1" for types a browser could execute (SVG): always served as an attachment. */
  downloadOnly?: string;
  width?: string;
  height?: string;
}

export const PUBLIC_CACHE_CONTROL = "public, max-age=31536000, immutable";
export const PRIVATE_CACHE_CONTROL = "private, no-cache";

export interface RepresentationInput {
  etag: string;
  lastModified: Date;
  size: number;
  contentType: string | undefined;
  fileName: string;
  downloadOnly: boolean;
  visibility: Visibility;
}

export function validatorsOf(input: RepresentationInput): Validators {
  return { etag: input.etag, lastModified: input.lastModified, size: input.size };
}

function contentDisposition(kind: "inline" | "attachment", fileName: string): string {
  // fileName is already sanitized to [A-Za-z0-9._-]: no quoting issues.
  return `${kind}; filename="${fileName}"`;
}

/** Headers every 200/206/304 carries for this representation (no Content-Length / Content-Range). */
export function representationHeaders(input: RepresentationInput, download: boolean): Headers {
  const headers = new Headers({
    etag: input.etag,
    "last-modified": input.lastModified.toUTCString(),
    "accept-ranges": "bytes",
    "content-type": input.contentType ?? "application/octet-stream",
    "content-disposition": contentDisposition(input.downloadOnly || download ? "attachment" : "inline", input.fileName),
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    "cache-control": input.visibility === "public" ? PUBLIC_CACHE_CONTROL : PRIVATE_CACHE_CONTROL,
  });
  return headers;
}

/** Rebuilds the representation from a response stored in the Cache API. */
export function representationFromCached(response: Response, fileName: string): RepresentationInput | null {
  const etag = response.headers.get("etag");
  const lastModified = Date.parse(response.headers.get("last-modified") ?? "");
  const size = Number(response.headers.get("content-length"));
  if (!etag || Number.isNaN(lastModified) || !Number.isSafeInteger(size)) return null;
  return {
    etag,
    lastModified: new Date(lastModified),
    size,
    contentType: response.headers.get("content-type") ?? undefined,
    fileName,
    downloadOnly: response.headers.get("content-disposition")?.startsWith("attachment") ?? false,
    visibility: "public",
  };
}

export function representationFromObject(
  object: R2Object,
  fileName: string,
  visibility: Visibility,
): RepresentationInput {
  const meta = object.customMetadata as Partial<StoredMediaMetadata> | undefined;
  return {
    etag: object.httpEtag,
    lastModified: object.uploaded,
    size: object.size,
    contentType: object.httpMetadata?.contentType,
    fileName,
    // Defence in depth: an executable type is an attachment even if its marker is missing.
    downloadOnly: meta?.downloadOnly === "1" || isDownloadOnlyType(object.httpMetadata?.contentType),
    visibility,
  };
}
