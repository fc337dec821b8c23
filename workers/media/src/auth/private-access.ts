import { QuestlineError } from "@questline/contracts/errors";
import { accessTokenConfigFromEnv, chargePrincipal, forbidden, missingToken, verifyAccessToken } from "@questline/edge";
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Bindings } from "../env";
import type { MediaKey } from "../keys";
import { verifySignedUrl } from "./signed-url";

/**
 * Private media: a signed URL (`?exp=&sig=`), or a bearer token (app or dashboard context)
 * of the object's workspace. Public media needs neither. A token read counts against its
 * workspace's and user's budgets like every authenticated request (a signed URL's reader is
 * anonymous: the address budget, before this, is its limit).
 */
export async function authorizePrivate(env: Bindings, target: MediaKey, url: URL, authorization?: string) {
  if (url.searchParams.has("sig")) {
    await verifySignedUrl(env.MEDIA_SIGNING_SECRET, target.key, url, Math.floor(Date.now() / 1000));
    return;
  }
  if (!authorization?.trim()) throw missingToken();
  const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
  const { identity } = await verifyAccessToken(match?.[1] ?? "", accessTokenConfigFromEnv(env));
  if (identity.workspaceId !== target.workspaceId) throw forbidden("media of another workspace");
  await chargePrincipal(env, identity);
}

export function assertSameWorkspace(workspaceId: string, target: MediaKey | null): asserts target is MediaKey {
  if (!target || target.workspaceId !== workspaceId) throw new QuestlineError("resource.not_found", "Media not found");
}

/** Any verified access token, app or dashboard (used to mint signed URLs for one's own workspace). */
export const requireAnyToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  if (!header?.trim()) throw missingToken();
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  const { identity } = await verifyAccessToken(match?.[1] ?? "", accessTokenConfigFromEnv(c.env));
  c.set("identity", identity);
  await next();
};
