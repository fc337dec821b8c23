import { type Identity, QuestlineError } from "@questline/contracts";
import type { Context, MiddlewareHandler } from "hono";

/** Bindings of the limit by client address (Workers rate limiting; see the workers' wrangler.toml). */
export interface ClientRateLimitBindings {
  CLIENT_RATE_LIMITER: RateLimit;
  /** Must match the limiters' `simple.period`; sent as `Retry-After` on 429 (default 60). */
  RATE_LIMIT_PERIOD_SECONDS?: string;
}

/** Bindings of the per-workspace and per-user budgets. */
export interface PrincipalRateLimitBindings {
  WORKSPACE_RATE_LIMITER: RateLimit;
  USER_RATE_LIMITER: RateLimit;
  RATE_LIMIT_PERIOD_SECONDS?: string;
}

/** The client's address as Cloudflare's edge saw it (a client cannot set it: Cloudflare overwrites it). */
export const CLIENT_ADDRESS_HEADER = "cf-connecting-ip";

/**
 * What the address limit counts against: an IPv4 address as is, an IPv6 address by its /64 (one
 * subscriber usually holds a whole /64, so rotating inside it buys nothing). Requests without
 * the header (only possible off Cloudflare's network: tests, local tools) share one budget.
 */
export function clientAddressKey(address: string | undefined): string {
  const value = address?.trim().toLowerCase();
  if (!value) return "unknown";
  if (!value.includes(":")) return value.slice(0, 64);
  return ipv6Prefix64(value) ?? value.slice(0, 64);
}

function ipv6Prefix64(address: string): string | null {
  if (address.includes(".")) return null; // IPv4-mapped or -embedded: keep the whole address
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill("0"), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}

function rateLimited(period: string | undefined, cause: string): QuestlineError {
  return new QuestlineError("request.rate_limited", "Too many requests; retry later", {
    headers: { "retry-after": period ?? "60" },
    cause,
  });
}

/**
 * The limit by client address (`CF-Connecting-IP`), mounted before authentication so that a
 * flood of missing or invalid tokens is answered 429 with `Retry-After` like any other flood,
 * and never costs a token verification.
 */
export function clientRateLimit<E extends { Bindings: ClientRateLimitBindings }>(): MiddlewareHandler<E> {
  return async (c, next) => {
    const env = c.env as ClientRateLimitBindings;
    const key = clientAddressKey(c.req.header(CLIENT_ADDRESS_HEADER));
    const { success } = await env.CLIENT_RATE_LIMITER.limit({ key });
    if (!success) throw rateLimited(env.RATE_LIMIT_PERIOD_SECONDS, "address limit");
    await next();
  };
}

/**
 * Per-workspace and per-user budgets, mounted after authentication: the keys come from the
 * verified identity. M2M calls without a delegated user count against their client id.
 */
export function principalRateLimit<
  E extends { Bindings: PrincipalRateLimitBindings; Variables: { identity: Identity } },
>(): MiddlewareHandler<E> {
  return async (c, next) => {
    const identity = (c as unknown as Context<{ Variables: { identity: Identity } }>).get("identity");
    await chargePrincipal(c.env as PrincipalRateLimitBindings, identity);
    await next();
  };
}

/**
 * Counts one request against the identity's workspace and user budgets; 429 once either is
 * spent. For routes that authenticate inside their handler (e.g. a private file read with a
 * token), called right after the token is verified.
 */
export async function chargePrincipal(env: PrincipalRateLimitBindings, identity: Identity): Promise<void> {
  const subject = identity.userId ?? identity.externalUserId ?? `client:${identity.clientId ?? "-"}`;
  const [workspace, user] = await Promise.all([
    env.WORKSPACE_RATE_LIMITER.limit({ key: identity.workspaceId }),
    env.USER_RATE_LIMITER.limit({ key: `${identity.workspaceId}:${subject}` }),
  ]);
  if (!workspace.success || !user.success) {
    throw rateLimited(env.RATE_LIMIT_PERIOD_SECONDS, workspace.success ? "user limit" : "workspace limit");
  }
}
