import {
  identityFromHeaders,
  newRequestId,
  QuestlineError,
  REQUEST_ID_HEADER,
  type TokenContext,
  toErrorResponse,
} from "@questline/contracts";
import { Hono, type MiddlewareHandler } from "hono";
import { logger } from "../logging";
import type { CoreEnv } from "./env";
import { idempotency } from "./idempotency";
import { registerRoutes } from "./routes";

const REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** Request id: the edge's `x-request-id`, else the Lambda request id, else a fresh one; echoed back. */
const requestId: MiddlewareHandler<CoreEnv> = async (c, next) => {
  const fromHeader = c.req.header(REQUEST_ID_HEADER);
  const id =
    fromHeader && REQUEST_ID_PATTERN.test(fromHeader)
      ? fromHeader
      : (c.env?.lambdaContext?.awsRequestId ?? newRequestId());
  c.set("requestId", id);
  c.set("logger", logger.createChild({ persistentKeys: { requestId: id } }));
  c.header(REQUEST_ID_HEADER, id);
  await next();
};

/**
 * The edge's verified identity, from the `x-ql-*` headers. The core trusts them only because
 * every request reaching it is SigV4-signed (API Gateway IAM auth; the local gateway verifies
 * the same signature).
 */
const identity: MiddlewareHandler<CoreEnv> = async (c, next) => {
  const found = identityFromHeaders((name) => c.req.header(name));
  if (!found) throw new QuestlineError("auth.missing_token", "Missing or invalid caller identity");
  c.set("identity", found);
  await next();
};

function requireContext(context: TokenContext): MiddlewareHandler<CoreEnv> {
  return async (c, next) => {
    if (c.get("identity").context !== context) {
      throw new QuestlineError("auth.forbidden", `This API requires a ${context} token`);
    }
    await next();
  };
}

/** The core's API: one Hono app, run in Lambda by `handlers/api.ts`. */
export function createApp(): Hono<CoreEnv> {
  const app = new Hono<CoreEnv>();
  app.use("*", requestId);
  app.use("*", identity);
  app.use("/dashboard/*", requireContext("dashboard"));
  app.use("/app/*", requireContext("app"));
  app.use("*", idempotency());

  registerRoutes(app);

  app.notFound((c) => {
    const { status, body } = toErrorResponse(
      new QuestlineError("resource.not_found", `No route for ${c.req.method} ${c.req.path}`),
      c.get("requestId") ?? "unknown",
    );
    return c.json(body, status as 404);
  });

  app.onError((err, c) => {
    const id = c.get("requestId") ?? newRequestId();
    if (!(err instanceof QuestlineError)) {
      (c.get("logger") ?? logger).error("unhandled error", err instanceof Error ? err : String(err));
    }
    const { status, body, headers } = toErrorResponse(err, id);
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    c.header(REQUEST_ID_HEADER, id);
    return c.json(body, status as 500);
  });

  return app;
}
