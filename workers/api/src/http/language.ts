import type { Context } from "hono";
import type { AppEnv } from "../env";

const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Display language: explicit `lang`, else the token's `custom:lang`, else the first Accept-Language tag. */
export function preferredLanguage(c: Context<AppEnv>, requested?: string): string | undefined {
  if (requested) return requested;
  if (c.var.identity.lang && LANG.test(c.var.identity.lang)) return c.var.identity.lang;
  const first = c.req.header("accept-language")?.split(",")[0]?.split(";")[0]?.trim();
  return first && LANG.test(first) ? first : undefined;
}
