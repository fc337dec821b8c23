import type { Bindings } from "../env";
import { deleteSession, type MultipartSession } from "./multipart-session";

/** Multipart uploads idle for longer than this are aborted by the scheduled handler. */
export const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

/** Aborts abandoned multipart uploads and removes their bookkeeping; returns how many. */
export async function cleanupAbandonedUploads(env: Bindings, now: number): Promise<number> {
  let cleaned = 0;
  let cursor: string | undefined;
  do {
    const page = await env.MEDIA.list({ prefix: "_multipart/", ...(cursor ? { cursor } : {}) });
    for (const object of page.objects) {
      if (!object.key.endsWith("/session.json")) continue;
      if (now - object.uploaded.getTime() < ABANDONED_AFTER_MS) continue;
      const body = await env.MEDIA.get(object.key);
      if (!body) continue;
      const session = (await body.json()) as MultipartSession;
      try {
        await env.MEDIA.resumeMultipartUpload(session.key, session.uploadId).abort();
      } catch (err) {
        // Already completed, aborted or expired by R2: only the bookkeeping is left.
        console.warn(JSON.stringify({ msg: "abort failed", key: session.key, error: String(err) }));
      }
      await deleteSession(env.MEDIA, session.workspaceId, session.mediaId);
      cleaned++;
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return cleaned;
}
