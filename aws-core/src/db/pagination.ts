import { QuestlineError } from "@questline/contracts";

/**
 * `nextToken` is the query's LastEvaluatedKey, base64url-encoded. A token is accepted only
 * when its partition key is the caller's own (a token can never page another workspace).
 */
export function encodeNextToken(lastKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastKey) return undefined;
  return Buffer.from(JSON.stringify(lastKey), "utf8").toString("base64url");
}

export function decodeNextToken(token: string | undefined, expectedPk: string): Record<string, unknown> | undefined {
  if (token === undefined) return undefined;
  const invalid = () =>
    new QuestlineError("request.validation_failed", "nextToken is invalid", {
      details: [{ path: "nextToken", message: "not a token returned by this endpoint" }],
    });
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (typeof decoded !== "object" || decoded === null || Array.isArray(decoded)) throw invalid();
  const key = decoded as Record<string, unknown>;
  if (key.pk !== expectedPk || typeof key.sk !== "string") throw invalid();
  return key;
}
