import { errorBody, newRequestId, QuestlineError, REQUEST_ID_HEADER, toErrorResponse } from "@questline/contracts";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { EdgeEnv } from "./env";

function requestIdOf(c: Context): string {
  return (c as unknown as Context<EdgeEnv>).get("requestId") ?? newRequestId();
}

function fromHttpException(err: HTTPException): QuestlineError {
  if (err.status === 400) return new QuestlineError("request.bad_json", err.message || "Malformed request body");
  if (err.status === 413) return new QuestlineError("request.too_large", "Request body too large");
  if (err.status === 401) return new QuestlineError("auth.invalid_token", "The access token is invalid");
  if (err.status === 404) return new QuestlineError("resource.not_found", "Not found");
  return new QuestlineError("internal.error", "Internal server error");
}

/**
 * `app.onError(errorHandler)`: the platform's error model. QuestlineErrors keep their code,
 * status and headers; anything else is logged with the request id and answered with a
 * generic 500, never a stack trace.
 */
export function errorHandler(err: Error, c: Context): Response {
  const requestId = requestIdOf(c);
  const error = err instanceof HTTPException ? fromHttpException(err) : err;
  const { status, body, headers } = toErrorResponse(error, requestId);
  const line = {
    msg: status >= 500 ? "request failed" : "request rejected",
    requestId,
    method: c.req.method,
    path: c.req.path,
    status,
    code: body.error.code,
    reason: error instanceof QuestlineError && typeof error.cause === "string" ? error.cause : undefined,
    error: status === 500 ? String(err.stack ?? err) : undefined,
  };
  if (status >= 500) console.error(JSON.stringify(line));
  else console.log(JSON.stringify(line));
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", [REQUEST_ID_HEADER]: requestId, ...headers },
  });
}

/** `app.notFound(notFoundHandler)`: the same body shape as every other error. */
export function notFoundHandler(c: Context): Response {
  const requestId = requestIdOf(c);
  return new Response(JSON.stringify(errorBody("resource.not_found", "Not found", requestId)), {
    status: 404,
    headers: { "content-type": "application/json; charset=utf-8", [REQUEST_ID_HEADER]: requestId },
  });
}
