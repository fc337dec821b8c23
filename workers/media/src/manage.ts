import { entityIdSchema } from "@questline/contracts/common";
import { QuestlineError } from "@questline/contracts/errors";
import type { Context } from "hono";
import * as z from "zod/mini";
import { assertSameWorkspace } from "./auth/private-access";
import { SIGNED_URL_DEFAULT_SECONDS, SIGNED_URL_MAX_SECONDS, signMediaKey } from "./auth/signed-url";
import { deleteMediaEntity } from "./core/core-client";
import type { AppEnv } from "./env";
import { parseMediaKey, VISIBILITIES } from "./keys";
import { invalidRequest } from "./validation";

/** DELETE /dashboard/media/:mediaId — deletes the entity (core) and the object (R2). */
export async function deleteMedia(c: Context<AppEnv>): Promise<Response> {
  const parsedId = entityIdSchema.safeParse(c.req.param("mediaId"));
  if (!parsedId.success) throw invalidRequest(parsedId.error, "Invalid media id");
  const mediaId = parsedId.data;
  const identity = c.get("identity");
  const existed = await deleteMediaEntity({ env: c.env, identity, requestId: c.get("requestId") }, mediaId);
  let removed = 0;
  for (const visibility of VISIBILITIES) {
    const listing = await c.env.MEDIA.list({ prefix: `${identity.workspaceId}/${visibility}/${mediaId}/` });
    const keys = listing.objects.map((o) => o.key);
    if (keys.length) await c.env.MEDIA.delete(keys);
    removed += keys.length;
  }
  if (!existed && removed === 0) throw new QuestlineError("resource.not_found", "Media not found");
  return c.json({ mediaId, deleted: true });
}

const signRequestSchema = z.strictObject({
  key: z.string().check(z.minLength(1), z.maxLength(512)),
  expiresIn: z._default(
    z.number().check(z.int(), z.positive(), z.lte(SIGNED_URL_MAX_SECONDS)),
    SIGNED_URL_DEFAULT_SECONDS,
  ),
});

/** POST /media/signed-urls — a short-lived URL for a private object of the caller's workspace. */
export async function createSignedUrl(c: Context<AppEnv>): Promise<Response> {
  const body = await c.req.json().catch(() => {
    throw new QuestlineError("request.bad_json", "The body is not JSON");
  });
  const parsed = signRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidRequest(parsed.error);
  const target = parseMediaKey(parsed.data.key);
  assertSameWorkspace(c.get("identity").workspaceId, target);
  const exp = Math.floor(Date.now() / 1000) + parsed.data.expiresIn;
  const sig = await signMediaKey(c.env.MEDIA_SIGNING_SECRET, target.key, exp);
  const url = `${new URL(c.req.url).origin}/files/${target.key}?exp=${exp}&sig=${sig}`;
  return c.json({ url, expiresAt: new Date(exp * 1000).toISOString() });
}
