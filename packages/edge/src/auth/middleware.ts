import { canWrite, type Identity, QuestlineError } from "@questline/contracts";
import type { Context, MiddlewareHandler } from "hono";
import type { EdgeEnv } from "../env";
import { accessTokenConfigFromEnv } from "./config";
import { forbidden, missingToken } from "./errors";
import { type VerifiedAccessToken, verifyAccessToken } from "./verify-access-token";

export const USER_ID_HEADER = "x-user-id";
export const EXTERNAL_USER_ID_HEADER = "x-external-user-id";
const DELEGATED_ID = /^[A-Za-z0-9_.@:+-]{1,128}$/;
const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

async function authenticate(c: Context<EdgeEnv>): Promise<VerifiedAccessToken> {
  const header = c.req.header("authorization");
  if (header === undefined || header.trim() === "") throw missingToken();
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return verifyAccessToken("", accessTokenConfigFromEnv(c.env));
  return verifyAccessToken(match[1], accessTokenConfigFromEnv(c.env));
}

function badHeader(name: string, message: string): QuestlineError {
  return new QuestlineError("request.validation_failed", message, { details: [{ path: `header.${name}`, message }] });
}

/**
 * `app` routes: an end-user token, or an M2M client-credentials token with `app/read`
 * (reads) / `app/write` (writes), optionally acting for one user through `x-user-id` or
 * `x-external-user-id` (mutually exclusive). Sets `c.var.identity`.
 */
export function requireApp<E extends EdgeEnv = EdgeEnv>(options: { write?: boolean } = {}): MiddlewareHandler<E> {
  return async (c, next) => {
    const ctx = c as unknown as Context<EdgeEnv>;
    const { identity, machine } = await authenticate(ctx);
    if (identity.context !== "app") throw forbidden("dashboard token on an app route");
    const write = options.write ?? !READ_METHODS.has(c.req.method);
    const userIdHeader = c.req.header(USER_ID_HEADER);
    const externalIdHeader = c.req.header(EXTERNAL_USER_ID_HEADER);

    let resolved: Identity = identity;
    if (machine) {
      const needed = write ? ["app/write"] : ["app/read", "app/write"];
      if (!needed.some((scope) => identity.scopes.includes(scope))) throw forbidden("missing app scope");
      if (userIdHeader !== undefined && externalIdHeader !== undefined) {
        throw badHeader(USER_ID_HEADER, `${USER_ID_HEADER} and ${EXTERNAL_USER_ID_HEADER} are mutually exclusive`);
      }
      if (userIdHeader !== undefined) {
        if (!DELEGATED_ID.test(userIdHeader)) throw badHeader(USER_ID_HEADER, "must be 1-128 id characters");
        resolved = { ...identity, userId: userIdHeader };
      } else if (externalIdHeader !== undefined) {
        if (!DELEGATED_ID.test(externalIdHeader)) {
          throw badHeader(EXTERNAL_USER_ID_HEADER, "must be 1-128 id characters");
        }
        resolved = { ...identity, externalUserId: externalIdHeader };
      }
    } else if (userIdHeader !== undefined || externalIdHeader !== undefined) {
      throw forbidden("user token tried to act for another user");
    } else if (!identity.userId) {
      throw forbidden("app user token without a user id");
    }
    ctx.set("identity", resolved);
    await next();
  };
}

/**
 * `dashboard` routes: a dashboard token whose role may read (any role) or write
 * (owner/admin/editor). `write` defaults to "the method is not a read". Sets `c.var.identity`.
 */
export function requireDashboard<E extends EdgeEnv = EdgeEnv>(options: { write?: boolean } = {}): MiddlewareHandler<E> {
  return async (c, next) => {
    const ctx = c as unknown as Context<EdgeEnv>;
    const { identity } = await authenticate(ctx);
    if (identity.context !== "dashboard") throw forbidden("app token on a dashboard route");
    if (!identity.role) throw forbidden("dashboard token without a role");
    const write = options.write ?? !READ_METHODS.has(c.req.method);
    if (write && !canWrite(identity.role)) throw forbidden(`role ${identity.role} cannot write`);
    ctx.set("identity", identity);
    await next();
  };
}
