import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAY_HEADER, QuestlineError } from "@questline/contracts";
import type { Context, MiddlewareHandler } from "hono";
import { coreConfig } from "../config";
import { dynamoClient, idempotencyTableName } from "../db/client";
import type { CoreEnv } from "./env";

export { IDEMPOTENT_REPLAY_HEADER };

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Response headers worth replaying. */
const REPLAYED_HEADERS = ["content-type", "location", "etag"];

/** What is stored in the idempotency record and replayed. */
interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The payload handed to Powertools: `key` is what the record is keyed by (workspace, actor,
 * method, path, client key); `request` is what a replay must match (body and query).
 */
interface IdempotencyPayload {
  key: string;
  request: { body: string; query: string };
}

/** Thrown inside the idempotent function so Powertools deletes the record (5xx: retry allowed). */
class NotStoredResponse extends Error {
  constructor(readonly response: Response) {
    super("response not stored");
  }
}

/**
 * Outside Lambda (tests, local gateway without a context) an in-flight record expires after
 * the API Gateway integration timeout, as it would in production.
 */
const OUTSIDE_LAMBDA_CONTEXT = { getRemainingTimeInMillis: () => 29_000 };

let idempotentRun:
  | ((payload: IdempotencyPayload, context: unknown, run: () => Promise<StoredResponse>) => Promise<StoredResponse>)
  | undefined;

function idempotentRunner() {
  if (idempotentRun) return idempotentRun;
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: idempotencyTableName(),
    awsSdkV3Client: dynamoClient(),
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: "key",
    payloadValidationJmesPath: "request",
    // The record's TTL: `idempotency/expires-after-seconds` (24 hours by default).
    expiresAfterSeconds: coreConfig().idempotencyExpiresAfterSeconds,
    throwOnNoIdempotencyKey: true,
  });
  const fn = (_payload: IdempotencyPayload, _context: unknown, run: () => Promise<StoredResponse>) => run();
  // When a Lambda context is passed as the second argument, Powertools registers it and sets
  // the in-progress expiry to the invocation's remaining time (a crashed invocation does not
  // block the key for the whole TTL).
  idempotentRun = makeIdempotent(fn, {
    persistenceStore,
    config,
    keyPrefix: "questline-api",
  } as Parameters<typeof makeIdempotent<typeof fn>>[1]);
  return idempotentRun;
}

function scopeKey(c: Context<CoreEnv>, clientKey: string): string {
  const identity = c.get("identity");
  const actor = identity.userId ?? identity.externalUserId ?? identity.clientId ?? identity.context;
  return [identity.workspaceId, actor, c.req.method, c.req.path, clientKey].join("#");
}

async function toStored(res: Response): Promise<StoredResponse> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = res.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return { status: res.status, headers, body: await res.clone().text() };
}

/**
 * Idempotent writes: POST/PUT/PATCH/DELETE carrying `x-idempotency-key` run at most once per
 * (workspace, actor, method, path, key). A repeat with the same body and query replays the
 * stored status and body with `x-idempotent-replay: true`; a different payload is 409
 * `request.idempotency_conflict`; a duplicate arriving while the first is running is 409
 * `request.idempotency_in_progress`. 5xx answers are not stored (the client may retry).
 * Must run after the identity middleware.
 */
export function idempotency(): MiddlewareHandler<CoreEnv> {
  return async (c, next) => {
    const clientKey = c.req.header(IDEMPOTENCY_KEY_HEADER);
    if (!WRITE_METHODS.has(c.req.method) || clientKey === undefined) return next();
    if (!KEY_PATTERN.test(clientKey)) {
      throw new QuestlineError(
        "request.validation_failed",
        `${IDEMPOTENCY_KEY_HEADER} must be 1-255 printable ASCII characters`,
        { details: [{ path: IDEMPOTENCY_KEY_HEADER, message: "invalid idempotency key" }] },
      );
    }
    const payload: IdempotencyPayload = {
      key: scopeKey(c, clientKey),
      request: { body: await c.req.text(), query: new URL(c.req.url).search },
    };
    let executed = false;
    const run = async (): Promise<StoredResponse> => {
      executed = true;
      await next();
      if (c.res.status >= 500) throw new NotStoredResponse(c.res);
      return toStored(c.res);
    };
    let stored: StoredResponse;
    try {
      stored = await idempotentRunner()(payload, c.env?.lambdaContext ?? OUTSIDE_LAMBDA_CONTEXT, run);
    } catch (err) {
      if (err instanceof NotStoredResponse) return;
      if (err instanceof Error && err.name === "IdempotencyValidationError") {
        throw new QuestlineError(
          "request.idempotency_conflict",
          `${IDEMPOTENCY_KEY_HEADER} was already used with a different request payload`,
        );
      }
      if (err instanceof Error && err.name === "IdempotencyAlreadyInProgressError") {
        throw new QuestlineError(
          "request.idempotency_in_progress",
          `A request with this ${IDEMPOTENCY_KEY_HEADER} is still in progress; retry later`,
          { headers: { "retry-after": "1" } },
        );
      }
      throw err;
    }
    if (executed) return;
    return new Response(stored.body === "" ? null : stored.body, {
      status: stored.status,
      headers: { ...stored.headers, [IDEMPOTENT_REPLAY_HEADER]: "true" },
    });
  };
}
