import type { MediaTranslation } from "@questline/contracts/media";
import type { Visibility } from "../keys";
import { multipartPrefix } from "../keys";

/**
 * Multipart bookkeeping lives in R2 beside the upload (the R2 binding cannot list an upload's
 * parts): one `session.json` per upload and one marker per accepted part, under
 * `_multipart/<workspace>/<mediaId>/`. Markers are written only after a part passed validation,
 * so the marker list is the resumable "uploaded parts" view.
 */
export interface MultipartSession {
  mediaId: string;
  workspaceId: string;
  key: string;
  uploadId: string;
  fileName: string;
  originalFileName: string;
  contentType: string;
  visibility: Visibility;
  fileSize: number;
  partSize: number;
  partCount: number;
  sha256?: string;
  tags: string[];
  translations: MediaTranslation[];
  createdAt: string;
}

export interface PartMarker {
  partNumber: number;
  etag: string;
  size: number;
  sha256: string;
  width?: number;
  height?: number;
  downloadOnly?: boolean;
}

const sessionKey = (ws: string, id: string) => `${multipartPrefix(ws, id)}session.json`;
const partKey = (ws: string, id: string, n: number) =>
  `${multipartPrefix(ws, id)}part-${String(n).padStart(5, "0")}.json`;

export async function saveSession(bucket: R2Bucket, session: MultipartSession): Promise<void> {
  await bucket.put(sessionKey(session.workspaceId, session.mediaId), JSON.stringify(session), {
    httpMetadata: { contentType: "application/json" },
  });
}

export async function loadSession(bucket: R2Bucket, ws: string, id: string): Promise<MultipartSession | null> {
  const object = await bucket.get(sessionKey(ws, id));
  return object ? ((await object.json()) as MultipartSession) : null;
}

export async function savePart(bucket: R2Bucket, session: MultipartSession, marker: PartMarker): Promise<void> {
  await bucket.put(partKey(session.workspaceId, session.mediaId, marker.partNumber), JSON.stringify(marker));
}

export async function listParts(bucket: R2Bucket, session: MultipartSession): Promise<PartMarker[]> {
  const prefix = `${multipartPrefix(session.workspaceId, session.mediaId)}part-`;
  const markers: PartMarker[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, ...(cursor ? { cursor } : {}) });
    const bodies = await Promise.all(page.objects.map((o) => bucket.get(o.key)));
    for (const body of bodies) if (body) markers.push((await body.json()) as PartMarker);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return markers.sort((a, b) => a.partNumber - b.partNumber);
}

/** Removes the session and all its part markers. */
export async function deleteSession(bucket: R2Bucket, ws: string, id: string): Promise<void> {
  const prefix = multipartPrefix(ws, id);
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, ...(cursor ? { cursor } : {}) });
    if (page.objects.length) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}
