import { QuestlineError } from "@questline/contracts";

const REALM = 'Bearer realm="questline"';

/** 401 for a missing token; the reason is only logged, never sent. */
export function missingToken(): QuestlineError {
  return new QuestlineError("auth.missing_token", "An access token is required", {
    headers: { "www-authenticate": REALM },
  });
}

/**
 * 401 for any token that does not verify. Every failure gets the same message so a caller
 * learns nothing about which check failed; `reason` goes to the logs through `cause`.
 */
export function invalidToken(reason: string): QuestlineError {
  return new QuestlineError("auth.invalid_token", "The access token is invalid", {
    headers: { "www-authenticate": `${REALM}, error="invalid_token"` },
    cause: reason,
  });
}

export function expiredToken(): QuestlineError {
  return new QuestlineError("auth.token_expired", "The access token has expired", {
    headers: { "www-authenticate": `${REALM}, error="invalid_token", error_description="expired"` },
    cause: "expired",
  });
}

/** 403 for a valid token that lacks the rights for this route. */
export function forbidden(reason: string): QuestlineError {
  return new QuestlineError("auth.forbidden", "The access token does not grant access to this resource", {
    headers: { "www-authenticate": `${REALM}, error="insufficient_scope"` },
    cause: reason,
  });
}
