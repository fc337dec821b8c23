import {
  ACTIVITY_LOG_REPLAYED_HEADER,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAY_HEADER,
  type Identity,
  identityToHeaders,
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
  /** Largest request body forwarded, bytes. Default 1 MiB. */
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

function unavailable(
  message: string,
  retryAfter = "5",
  code: "upstream.unavailable" | "upstream.timeout" = "upstream.unavailable",
) {
  return new QuestlineError(code, message, { headers: { "retry-after": retryAfter } });
}

/**
 * Forwards a request to the AWS core, SigV4-signed (`execute-api`, explicit region) with
 * aws4fetch: a fresh request with a buffered body, the verified identity as `x-ql-*`
 * headers (client-sent ones never pass), the request id and the idempotency key.
 *
 * - Every attempt has a timeout. Only GET/HEAD/PUT/DELETE are retried, once, after a
 *   connection failure; POST/PATCH never are. PUT/DELETE get a generated idempotency key
 *   when the client sent none, so the retry is replay-safe.
 * - Core unreachable or 5xx → 503 `upstream.unavailable` with `Retry-After`; timeout →
 *   504 `upstream.timeout` with `Retry-After`; core 4xx and 2xx/3xx pass through unchanged.
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
    if (body.byteLength > (config.maxBodyBytes ?? 1_048_576)) {
      throw new QuestlineError("request.too_large", "Request body too large");
    }
  }

  const client = awsClient(config);
  const fetchImpl = config.fetch ?? ((req: Request) => fetch(req));
  const attempts = RETRIABLE.has(method) ? 2 : 1;
  let response: Response | undefined;
  for (let attempt = 1; attempt <= attempts && !response; attempt++) {
    const signed = await client.sign(target.toString(), { method, headers, ...(body ? { body } : {}) });
    try {
      response = await fetchImpl(new Request(signed, { signal: AbortSignal.timeout(config.timeoutMs ?? 8000) }));
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      console.warn(
        JSON.stringify({ msg: "core forward failed", requestId, method, attempt, timedOut, error: String(err) }),
      );
      if (timedOut) throw unavailable("The service timed out; retry later", "5", "upstream.timeout");
      if (attempt === attempts) throw unavailable("The service is temporarily unavailable; retry later");
    }
  }
  if (!response) throw unavailable("The service is temporarily unavailable; retry later");

  if (response.status >= 500) {
    console.warn(JSON.stringify({ msg: "core answered 5xx", requestId, method, status: response.status }));
    const retryAfter = response.headers.get("retry-after");
    await response.body?.cancel();
    throw unavailable(
      "The service is temporarily unavailable; retry later",
      retryAfter && /^\d{1,5}$/.test(retryAfter) ? retryAfter : "5",
    );
  }

  const out = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) out.set(name, value);
  }
  out.set(REQUEST_ID_HEADER, requestId);
  return new Response(response.body, { status: response.status, headers: out });
}
