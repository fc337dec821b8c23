import { z } from "zod";

/**
 * Stable error codes shared by the edge workers and the AWS core.
 * A code never changes meaning once published; clients may switch on it.
 */
export const ERROR_STATUS = {
  "auth.missing_token": 401,
  "auth.invalid_token": 401,
  "auth.token_expired": 401,
  "auth.forbidden": 403,
  "auth.bad_signature": 401,
  "auth.signature_expired": 403,
  "request.bad_json": 400,
  "request.validation_failed": 400,
  "request.unknown_field": 400,
  "request.too_large": 413,
  "request.too_deep": 400,
  "request.unsupported_media_type": 415,
  "request.idempotency_conflict": 409,
  "request.idempotency_in_progress": 409,
  "request.rate_limited": 429,
  "resource.not_found": 404,
  "resource.conflict": 409,
  "resource.invalid_state": 409,
  "catalog.bad_query": 400,
  "rules.invalid_jsonlogic": 400,
  "authorization.invalid_policy": 400,
  "authorization.policy_limit": 409,
  "feature.disabled": 403,
  "wallet.insufficient_balance": 409,
  "wallet.balance_limit": 409,
  "media.unsupported_type": 415,
  "media.checksum_mismatch": 400,
  "media.range_not_satisfiable": 416,
  "media.precondition_failed": 412,
  "indexer.bad_batch": 400,
  "upstream.unavailable": 503,
  "upstream.timeout": 504,
  "upstream.invalid_response": 502,
  "internal.error": 500,
  "internal.misconfigured": 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_STATUS, value);
}

export interface ErrorDetail {
  /** Dotted path of the failing field, e.g. `translations.0.title`. */
  path?: string;
  message: string;
}

/** The one typed error of the platform: a stable code, its HTTP status and a message. */
export class QuestlineError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetail[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: ErrorDetail[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "QuestlineError";
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = options.details;
    this.headers = options.headers;
  }
}

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    details: z.array(z.object({ path: z.string().optional(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export function errorBody(
  code: ErrorCode | string,
  message: string,
  requestId: string,
  details?: ErrorDetail[],
): ErrorBody {
  return { error: { code, message, requestId, ...(details?.length ? { details } : {}) } };
}

/** Turns any thrown value into the response body and status; unknown errors become a generic 500. */
export function toErrorResponse(
  err: unknown,
  requestId: string,
): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (err instanceof QuestlineError) {
    return {
      status: err.status,
      body: errorBody(err.code, err.message, requestId, err.details),
      headers: err.headers ?? {},
    };
  }
  return {
    status: 500,
    body: errorBody("internal.error", "Internal server error", requestId),
    headers: {},
  };
}

/** Converts zod issues into field-level details (`path` + why). */
export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...base, key].join("."), message: "unknown field" }));
    }
    return [{ path: base.join("."), message: issue.message }];
  });
}

export function validationError(error: z.ZodError, message = "Request validation failed"): QuestlineError {
  const unknown = error.issues.some((i) => i.code === "unrecognized_keys");
  return new QuestlineError(unknown ? "request.unknown_field" : "request.validation_failed", message, {
    details: zodDetails(error),
  });
}
