import { IDENTITY_HEADERS, QuestlineError } from "@questline/contracts";
import type { Context, MiddlewareHandler } from "hono";
import type { CoreEnv } from "./env";

/**
 * Who called the core, as API Gateway's IAM authorizer reports it. Every request reaching the
 * Lambda is SigV4-verified by API Gateway (IAM auth; locally the gateway stand-in verifies the
 * same signature) and carries its caller in `requestContext.authorizer.iam`. An in-process
 * call (`app.request` in tests) has no gateway event and therefore no principal.
 */
interface IamAuthorizer {
  userArn?: string;
  accessKey?: string;
}

function gatewayEvent(c: Context<CoreEnv>): Record<string, unknown> | undefined {
  const event = c.env?.event as unknown;
  return event && typeof event === "object" ? (event as Record<string, unknown>) : undefined;
}

/** The IAM caller's ARN, or null when the request did not come through the gateway. */
export function callerArn(c: Context<CoreEnv>): string | null {
  const context = gatewayEvent(c)?.requestContext as { authorizer?: { iam?: IamAuthorizer } } | undefined;
  const arn = context?.authorizer?.iam?.userArn;
  return typeof arn === "string" && arn !== "" ? arn : null;
}

function listFromEnv(name: string): string[] {
  return (process.env[name] ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * Media records are written only by the media worker, after it stored and inspected the object:
 * the caller must be one of the principals in `MEDIA_WRITER_ARNS` (the media worker's own IAM
 * user; the api worker signs with another). Anyone else — the api worker forwarding a client's
 * `/dashboard/media`, an in-process call — gets 403 `auth.forbidden`. Unset, nobody may.
 */
export function requireMediaWriter(c: Context<CoreEnv>): void {
  const arn = callerArn(c);
  const allowed = listFromEnv("MEDIA_WRITER_ARNS");
  if (arn !== null && allowed.includes(arn)) return;
  c.get("logger").warn("media record write refused: not the media worker's principal", {
    callerArn: arn,
    configured: allowed.length > 0,
  });
  throw new QuestlineError(
    "auth.forbidden",
    "Media records are created and deleted only through the media service (upload the file there)",
  );
}

const SIGNED_HEADERS = /SignedHeaders=([a-z0-9;._-]+)/;
const IDENTITY_HEADER_NAMES = Object.values(IDENTITY_HEADERS) as string[];

/**
 * Defence in depth behind API Gateway: the identity headers are trusted only when the SigV4
 * signature covers them. API Gateway verifies the signature over the headers the signer listed;
 * a header added after signing passes it unnoticed, so every `x-ql-*` identity header present
 * must be in the `SignedHeaders` of the request's `Authorization`, else 403 `auth.forbidden`.
 * Applies to every request that came through the gateway (an event is present).
 */
export const signedIdentity: MiddlewareHandler<CoreEnv> = async (c, next) => {
  if (gatewayEvent(c) === undefined) return next();
  const authorization = c.req.header("authorization") ?? "";
  const signed = new Set((SIGNED_HEADERS.exec(authorization)?.[1] ?? "").split(";").filter(Boolean));
  const unsigned = IDENTITY_HEADER_NAMES.filter((name) => c.req.header(name) !== undefined && !signed.has(name));
  if (unsigned.length > 0) {
    c.get("logger").warn("identity headers not covered by the signature", { unsigned, callerArn: callerArn(c) });
    throw new QuestlineError("auth.forbidden", "The caller identity is not covered by the request signature");
  }
  await next();
};
