import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { QuestlineError } from "@questline/contracts";
import { logger } from "../logging";

/**
 * `nextToken` is opaque and authenticated: `<payload>.<mac>`, where the payload is the query's
 * LastEvaluatedKey (base64url JSON) and the mac an HMAC-SHA256 over the payload and the query
 * it belongs to (its partition, and a name when one partition serves several queries). A
 * token is accepted only by the query that issued it; anything else — edited, forged, from
 * another endpoint or workspace — is a 400 naming `nextToken`, before DynamoDB sees it.
 *
 * The key is `PAGINATION_SECRET` (production: set on the API function from the stack's
 * secret configuration, the same in every region so a token survives a failover). Outside
 * Lambda, without it, a random per-process key is used (tokens then last one process).
 */
function paginationKey(): Buffer {
  const secret = process.env.PAGINATION_SECRET;
  if (secret) return Buffer.from(secret, "utf8");
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new Error("PAGINATION_SECRET is not set: the API cannot issue or accept pagination tokens");
  }
  if (!processKey) {
    processKey = randomBytes(32);
    logger.debug("PAGINATION_SECRET is not set; pagination tokens use a per-process key");
  }
  return processKey;
}
let processKey: Buffer | undefined;

function mac(payload: string, query: string): Buffer {
  return createHmac("sha256", paginationKey()).update(query).update("\n").update(payload).digest();
}

function invalidToken(): QuestlineError {
  return new QuestlineError("request.validation_failed", "nextToken is invalid", {
    details: [{ path: "nextToken", message: "not a token returned by this endpoint for this query" }],
  });
}

/** The token for the page after `lastKey` of the query on `pk` (named `query` when the partition has several). */
export function encodeNextToken(
  lastKey: Record<string, unknown> | undefined,
  pk: string = String(lastKey?.pk ?? ""),
  query = "",
): string | undefined {
  if (!lastKey) return undefined;
  const payload = Buffer.from(JSON.stringify(lastKey), "utf8").toString("base64url");
  return `${payload}.${mac(payload, `${pk}\n${query}`).toString("base64url")}`;
}

/** The start key a token carries, when it was issued by the same query (`pk`, `query`); else 400. */
export function decodeNextToken(
  token: string | undefined,
  expectedPk: string,
  query = "",
): Record<string, unknown> | undefined {
  if (token === undefined) return undefined;
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) throw invalidToken();
  const expected = mac(payload, `${expectedPk}\n${query}`);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidToken();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw invalidToken();
  }
  if (typeof decoded !== "object" || decoded === null || Array.isArray(decoded)) throw invalidToken();
  return decoded as Record<string, unknown>;
}
