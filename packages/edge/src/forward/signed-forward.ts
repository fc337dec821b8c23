import {
  ACTIVITY_LOG_REPLAYED_HEADER,
  errorBodySchema,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAY_HEADER,
  type Identity,
  identityToHeaders,
  isErrorCode,
  JSON_BODY_MAX_BYTES,
  newRequestId,
  QuestlineError,
  REQUEST_ID_HEADER,
} from "@questline/contracts";
import { AwsClient } from "aws4fetch";
import type { EdgeCoreBindings } from "../env";

export interface CoreForwardConfig {
  /** Base URL of the AWS core (API Gateway, or the local signed gateway). */
  url: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Per attempt, ms. Default 8000. */
  timeoutMs?: number;
  /** Largest request body forwarded, bytes. Default `JSON_BODY_MAX_BYTES` (256 KiB). */
  maxBodyBytes?: number;
  fetch?: typeof fetch;
}

export interface SignedForwardInput {
  request: Request;
  identity: Identity;
  requestId: string;
  config: CoreForwardConfig;
  /** Path on the core; defaults to the request's own path (the core serves the same paths). */
  path?: string;
  /** The body to send when the request's own stream was already read (e.g. by a validator). */
  body?: ArrayBuffer;
}

/** Request headers passed on to the core; everything else (cookies, authorization, x-ql-*) is dropped. */
const FORWARDED_REQUEST_HEADERS = ["content-type", "accept", "accept-language", "if-match", "if-none-match"];
/** Response headers passed back to the client. */
const FORWARDED_RESPONSE_HEADERS = [
  "content-type",
  "etag",
  "last-modified",
  "cache-control",
  "retry-after",
  "location",
  "content-language",
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAY_HEADER,
  ACTIVITY_LOG_REPLAYED_HEADER,
];
/** Methods safe to retry once after a connection failure (the key makes the write replay-safe). */
const RETRIABLE = new Set(["GET", "HEAD", "PUT", "DELETE"]);
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

const clients = new Map<string, AwsClient>();

function awsClient(config: CoreForwardConfig): AwsClient {
  const key = [config.accessKeyId, config.secretAccessKey, config.sessionToken ?? "", config.region].join("\u0000");
  let client = clients.get(key);
  if (!client) {
    client = new AwsClient({
      accessKeyId: config.accessKeyId,
      secretAccessKey: config.secretAccessKey,
      ...(config.sessionToken ? { sessionToken: config.sessionToken } : {}),
      service: "execute-api",
      region: config.region,
      retries: 0,
    });
    clients.set(key, client);
  }
  return client;
}

export function coreConfigFromEnv(env: EdgeCoreBindings): CoreForwardConfig {
  const timeout = Number(env.CORE_TIMEOUT_MS);
  return {
    url: env.CORE_URL,
    region: env.CORE_REGION,
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}),
  };
}

const DEFAULT_RETRY_AFTER = "5";
/** `Retry-After` as delta-seconds (what we send); anything else (an HTTP date, garbage) becomes the default. */
function retryAfterOf(response: Response): string {
  const value = response.headers.get("retry-after")?.trim();
  return value && /^\d{1,5}$/.test(value) ? value : DEFAULT_RETRY_AFTER;
}

function unavailable(message: string, retryAfter = DEFAULT_RETRY_AFTER) {
  return new QuestlineError("upstream.unavailable", message, { headers: { "retry-after": retryAfter } });
}
function timedOut(retryAfter = DEFAULT_RETRY_AFTER) {
  return new QuestlineError("upstream.timeout", "The service timed out; retry later", {
    headers: { "retry-after": retryAfter },
  });
}
function invalidResponse(reason: string) {
  return new QuestlineError("upstream.invalid_response", "The service gave an invalid answer", { cause: reason });
}

const isTimeout = (err: unknown) => err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** The core's error body when it is the platform's error model with a known code, else null. */
function coreError(body: unknown): QuestlineError | null {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success || !isErrorCode(parsed.data.error.code)) return null;
  const { code, message, details } = parsed.data.error;
  return new QuestlineError(code, message, details ? { details } : {});
}

/** A 5xx of the core as the client sees it; the core's own error body is kept when its code fits the status. */
async function fromCoreFailure(response: Response): Promise<QuestlineError> {
  const status = response.status;
  if (status === 429 || status === 503) {
    // Throttled or unavailable: transient, so the client is told when to retry (the core's hint kept).
    const retryAfter = retryAfterOf(response);
    const own = await readCoreError(response);
    return own?.code === "upstream.unavailable"
      ? new QuestlineError(own.code, own.message, { headers: { "retry-after": retryAfter } })
      : unavailable("The service is temporarily unavailable; retry later", retryAfter);
  }
  if (status === 504) {
    await response.body?.cancel();
    return timedOut(retryAfterOf(response));
  }
  if (status === 502) {
    await response.body?.cancel();
    return invalidResponse("the core's gateway answered 502");
  }
  // 500 and any other 5xx: a deterministic failure — no Retry-After, so clients do not hammer it.
  const own = await readCoreError(response);
  return own && own.status === 500 ? own : new QuestlineError("internal.error", "Internal server error");
}

async function readCoreError(response: Response): Promise<QuestlineError | null> {
  const text = await response.text().catch(() => "");
  try {
    return coreError(JSON.parse(text));
  } catch {
    return null;
  }
}

const SIGNED_HEADERS = /SignedHeaders=([a-z0-9;._-]+)/;

/**
 * The core trusts the identity headers only when the signature covers them (it refuses the
 * request otherwise), so every `x-ql-*` header sent must be among the SignedHeaders. aws4fetch
 * signs every header but a few transport ones; this keeps it so if that ever changes.
 */
function assertIdentitySigned(signed: Request, sent: Headers): void {
  const list = SIGNED_HEADERS.exec(signed.headers.get("authorization") ?? "")?.[1] ?? "";
  const covered = new Set(list.split(";"));
  const missing = [...sent.keys()].filter((name) => name.startsWith("x-ql-") && !covered.has(name));
  if (missing.length > 0) {
    throw new QuestlineError("internal.error", "Internal server error", {
      cause: `identity headers not signed: ${missing.join(",")}`,
    });
  }
}

/**
 * Forwards a request to the AWS core, SigV4-signed (`execute-api`, explicit region) with
 * aws4fetch: a fresh request with a buffered body, the verified identity as `x-ql-*`
 * headers (client-sent ones never pass), the request id and the idempotency key.
 *
 * - Every attempt has a timeout. Only GET/HEAD/PUT/DELETE are retried, once, after a
 *   connection failure; POST/PATCH never are. PUT/DELETE get a generated idempotency key
 *   when the client sent none, so the retry is replay-safe. Redirects are never followed.
 * - What the client gets (see packages/edge/README.md, "Errors from the core"):
 *   - core unreachable, or it answered 503/429 → 503 `upstream.unavailable` + `Retry-After`
 *     (the core's value when it sent one);
 *   - timed out (here, or the core's gateway answered 504) → 504 `upstream.timeout` + `Retry-After`;
 *   - core 500 (or another 5xx) → 500 `internal.error` (the core's error body when it has one),
 *     **without** `Retry-After`: a deterministic failure must not invite retries;
 *   - an invalid answer — JSON declared but the body is not JSON, a 4xx without the error
 *     model, a redirect, the gateway's 502 → 502 `upstream.invalid_response`;
 *   - otherwise 2xx/3xx/4xx pass through with their body.
 */
export async function signedForward(input: SignedForwardInput): Promise<Response> {
  const { request, identity, requestId, config } = input;
  const method = request.method.toUpperCase();
  const source = new URL(request.url);
  const target = new URL((input.path ?? source.pathname) + source.search, config.url);

  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  for (const [name, value] of Object.entries(identityToHeaders(identity))) headers.set(name, value);
  headers.set(REQUEST_ID_HEADER, requestId);

  let idempotencyKey = request.headers.get(IDEMPOTENCY_KEY_HEADER) ?? undefined;
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new QuestlineError("request.validation_failed", "Invalid idempotency key", {
      details: [{ path: `header.${IDEMPOTENCY_KEY_HEADER}`, message: "must be 1-128 characters of [A-Za-z0-9._:-]" }],
    });
  }
  if (idempotencyKey === undefined && WRITES.has(method) && RETRIABLE.has(method)) idempotencyKey = newRequestId();
  if (idempotencyKey !== undefined) headers.set(IDEMPOTENCY_KEY_HEADER, idempotencyKey);

  let body: ArrayBuffer | undefined;
  if (method !== "GET" && method !== "HEAD") {
    body = input.body ?? (await request.arrayBuffer());
    const max = config.maxBodyBytes ?? JSON_BODY_MAX_BYTES;
    if (body.byteLength > max) {
      throw new QuestlineError("request.too_large", `Request bodies are limited to ${max} bytes`);
    }
  }

  const client = awsClient(config);
  const fetchImpl = config.fetch ?? ((req: Request) => fetch(req));
  const attempts = RETRIABLE.has(method) ? 2 : 1;
  let response: Response | undefined;
  for (let attempt = 1; attempt <= attempts && !response; attempt++) {
    // Per attempt; it also bounds reading the answer's body.
    const signal = AbortSignal.timeout(config.timeoutMs ?? 8000);
    const signed = await client.sign(target.toString(), { method, headers, ...(body ? { body } : {}) });
    assertIdentitySigned(signed, headers);
    try {
      response = await fetchImpl(new Request(signed, { signal, redirect: "manual" }));
    } catch (err) {
      const timeout = isTimeout(err);
      console.warn(
        JSON.stringify({
          msg: "core forward failed",
          requestId,
          method,
          attempt,
          timedOut: timeout,
          error: String(err),
        }),
      );
      if (timeout) throw timedOut();
      if (attempt === attempts) throw unavailable("The service is temporarily unavailable; retry later");
    }
  }
  if (!response) throw unavailable("The service is temporarily unavailable; retry later");
  const status = response.status;
  const log = (msg: string, extra: Record<string, unknown> = {}) =>
    console.warn(JSON.stringify({ msg, requestId, method, status, ...extra }));

  if (status >= 500 || status === 429) {
    log("core answered an error");
    throw await fromCoreFailure(response);
  }
  if (status < 200 || (status >= 300 && status < 400 && status !== 304)) {
    log("core answered a redirect or an informational status");
    await response.body?.cancel();
    throw invalidResponse(`the core answered ${status}`);
  }

  const out = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) out.set(name, value);
  }
  out.set(REQUEST_ID_HEADER, requestId);
  const contentType = response.headers.get("content-type") ?? "";
  const declaredJson = JSON_TYPE.test(contentType);
  if (!declaredJson && status < 400) return new Response(response.body, { status, headers: out });

  // JSON is read whole (the core's answers are small), so a broken body becomes a 502, not a
  // truncated 200; errors must carry the platform's error model.
  let text: string;
  try {
    text = await response.text();
  } catch (err) {
    log("core answer unreadable", { error: String(err) });
    if (isTimeout(err)) throw timedOut();
    throw unavailable("The service is temporarily unavailable; retry later");
  }
  if (status === 304 || status === 204 || (status < 400 && text === "")) {
    return new Response(status === 304 || status === 204 ? null : text, { status, headers: out });
  }
  let parsed: unknown;
  try {
    parsed = declaredJson ? JSON.parse(text) : undefined;
  } catch {
    log("core answered malformed JSON", { contentType, bytes: text.length });
    throw invalidResponse("the core declared JSON and sent something else");
  }
  if (status >= 400 && !coreError(parsed)) {
    log("core answered an error without the error model", { contentType, body: text.slice(0, 200) });
    throw invalidResponse(`the core answered ${status} without the error model`);
  }
  return new Response(text, { status, headers: out });
}
