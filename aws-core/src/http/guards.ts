import { canWrite, type Identity, QuestlineError } from "@questline/contracts";
import type { Context, MiddlewareHandler } from "hono";
import type { CoreEnv } from "./env";

/** Dashboard writes: roles owner/admin/editor. A viewer (or an app token) gets 403. */
export function requireWriter(c: Context<CoreEnv>): Identity {
  const identity = c.get("identity");
  if (identity.context !== "dashboard" || !canWrite(identity.role)) {
    throw new QuestlineError("auth.forbidden", "This operation requires the owner, admin or editor role");
  }
  return identity;
}

export type UserIdentity = Identity & { userId: string };

/** Per-user app routes: the caller must act as a user (end user, or M2M delegating with x-user-id). */
export function requireUser(c: Context<CoreEnv>): UserIdentity {
  const identity = c.get("identity");
  if (!identity.userId) {
    throw new QuestlineError("auth.forbidden", "This operation must be performed on behalf of a user");
  }
  return { ...identity, userId: identity.userId };
}

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Every dashboard write needs a writer role, checked before the body is read or validated (a
 * viewer learns nothing about a body's shape). Searches sent as `POST …/search` are reads.
 */
export const dashboardWrites: MiddlewareHandler<CoreEnv> = async (c, next) => {
  if (!READ_METHODS.has(c.req.method) && !c.req.path.endsWith("/search")) requireWriter(c);
  await next();
};
