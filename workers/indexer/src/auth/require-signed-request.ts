import { INDEXER_SIGNING, QuestlineError, type SigV4Failure, verifySigV4 } from "@questline/contracts";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

const FORBIDDEN: readonly SigV4Failure[] = ["unknown_key", "wrong_scope"];

/**
 * Accepts only requests signed (SigV4, header form) with the indexer's key pair for the
 * `questline-indexer`/`edge` scope, within ±5 minutes, over exactly the received body.
 * Unknown key or wrong scope → 403; expired/future signature → 403; anything else → 401.
 * The body is read once here and handed to the route as `rawBody`.
 */
export const requireSignedRequest = createMiddleware<AppEnv>(async (c, next) => {
  const body = await c.req.raw.arrayBuffer();
  const result = await verifySigV4({
    method: c.req.method,
    url: c.req.url,
    headers: c.req.raw.headers,
    body,
    service: INDEXER_SIGNING.service,
    region: INDEXER_SIGNING.region,
    lookupSecret: (accessKeyId) =>
      c.env.INDEXER_ACCESS_KEY_ID && accessKeyId === c.env.INDEXER_ACCESS_KEY_ID
        ? c.env.INDEXER_SECRET_ACCESS_KEY
        : undefined,
  });
  if (!result.ok) {
    // `cause` puts the reason on the error handler's "request rejected" line.
    const cause = result.reason;
    if (cause === "clock_skew") {
      throw new QuestlineError("auth.signature_expired", "Signature is outside the allowed clock skew", { cause });
    }
    if (FORBIDDEN.includes(cause)) throw new QuestlineError("auth.forbidden", "Signing key not accepted", { cause });
    throw new QuestlineError("auth.bad_signature", `Signature check failed (${cause})`, { cause });
  }
  c.set("rawBody", new TextDecoder().decode(body));
  await next();
});
