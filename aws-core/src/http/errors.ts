import { newRequestId, QuestlineError, REQUEST_ID_HEADER, toErrorResponse } from "@questline/contracts";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { logger } from "../logging";
import type { CoreEnv } from "./env";

/** `app.notFound`: the platform's error body for a path no router serves. */
export function notFound(c: Context<CoreEnv>): Response {
  const { status, body } = toErrorResponse(
    new QuestlineError("resource.not_found", `No route for ${c.req.method} ${c.req.path}`),
    c.get("requestId") ?? "unknown",
  );
  return c.json(body, status as 404);
}

/**
 * `app.onError`: QuestlineErrors keep their code, status and headers; anything else is logged
 * with the request id and answered with a generic 500, never a stack trace.
 */
export function onError(thrown: Error, c: Context<CoreEnv>): Response {
  const id = c.get("requestId") ?? newRequestId();
  const err = fromHttpException(thrown);
  if (!(err instanceof QuestlineError)) {
    (c.get("logger") ?? logger).error("unhandled error", err instanceof Error ? err : String(err));
  }
  const { status, body, headers } = toErrorResponse(err, id);
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  c.header(REQUEST_ID_HEADER, id);
  return c.json(body, status as 500);
}

/**
 * Hono's own request errors (validators, body limits) in the platform's codes; and DynamoDB
 * refusing a start key (a genuine token of one query replayed on another over the same
 * partition) as the client's error it is.
 */
function fromHttpException(err: Error): Error {
  if (err.name === "ValidationException" && /start(ing)? ?key/i.test(err.message)) {
    return new QuestlineError("request.validation_failed", "nextToken is invalid", {
      details: [{ path: "nextToken", message: "not a token returned by this endpoint for this query" }],
    });
  }
  if (!(err instanceof HTTPException)) return err;
  if (err.status === 413)
    return new QuestlineError("request.too_large", err.message || "The request body is too large");
  if (err.status === 415) {
    return new QuestlineError("request.unsupported_media_type", "Request bodies must be application/json");
  }
  if (err.status === 400)
    return new QuestlineError("request.bad_json", err.message || "The request body is not valid JSON");
  return err;
}
