import { newId } from "@questline/contracts/ids";
import { MEDIA_VISIBILITIES, type MediaKeyParts, parseMediaKey } from "@questline/contracts/media";

/**
 * Object keys. Every media object lives under its workspace:
 *   `<workspaceId>/<visibility>/<mediaId>/<fileName>`
 * The worker generates `mediaId` (a fresh nanoid) and sanitizes `fileName`, so a key can neither
 * escape its workspace nor overwrite another object. Visibility is part of the key, so the
 * delivery route knows whether a token is needed before touching R2.
 */
export const VISIBILITIES = MEDIA_VISIBILITIES;
export type Visibility = (typeof VISIBILITIES)[number];

/** A parsed canonical key (the shared validator of `@questline/contracts/media`). */
export type MediaKey = MediaKeyParts;
export { parseMediaKey };

export function mediaKey(workspaceId: string, visibility: Visibility, mediaId: string, fileName: string): string {
  return `${workspaceId}/${visibility}/${mediaId}/${fileName}`;
}

export function newMediaId(): string {
  return newId();
}

/**
 * Reduces a user-supplied file name to `[A-Za-z0-9._-]`, keeps only its last path segment,
 * strips leading dots (no hidden files, no `..`), and bounds its length. Never empty.
 */
export function sanitizeFileName(raw: string): string {
  const lastSegment = raw.split(/[\\/]/).pop() ?? "";
  const ascii = lastSegment.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  let name = ascii
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/^[.-]+/, "")
    .replace(/-+/g, "-");
  if (name.length > 128) {
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 && name.length - dot <= 12 ? name.slice(dot) : "";
    name = name.slice(0, 128 - ext.length) + ext;
  }
  return name || "file";
}

/** Where multipart bookkeeping lives (never served: it does not match the media key pattern). */
export function multipartPrefix(workspaceId: string, mediaId: string): string {
  return `_multipart/${workspaceId}/${mediaId}/`;
}

/** Where presigned uploads land before validation (never served). */
export function incomingKey(workspaceId: string, mediaId: string, fileName: string): string {
  return `${workspaceId}/incoming/${mediaId}/${fileName}`;
}
