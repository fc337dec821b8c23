import {
  identityFromHeaders,
  newRequestId,
  QuestlineError,
  REQUEST_ID_HEADER,
  type TokenContext,
} from "@questline/contracts";
import type { MiddlewareHandler } from "hono";
import { logger } from "../logging";
import type { CoreEnv } from "./env";

const REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** Request id: the edge's `x-request-id`, else the Lambda request id, else a fresh one; echoed back. */
export const requestId: MiddlewareHandler<CoreEnv> = async (c, next) => {
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
export const identity: MiddlewareHandler<CoreEnv> = async (c, next) => {
  const found = identityFromHeaders((name) => c.req.header(name));
  if (!found) throw new QuestlineError("auth.missing_token", "Missing or invalid caller identity");
  c.set("identity", found);
  await next();
};

/** `/app/*` needs an app token, `/dashboard/*` a dashboard token. */
export function requireContext(context: TokenContext): MiddlewareHandler<CoreEnv> {
  return async (c, next) => {
    if (c.get("identity").context !== context) {
      throw new QuestlineError("auth.forbidden", `This API requires a ${context} token`);
    }
    await next();
  };
}
