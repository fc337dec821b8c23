import { newRequestId, REQUEST_ID_HEADER } from "@questline/contracts";
import type { Context, MiddlewareHandler } from "hono";
import type { EdgeEnv } from "./env";

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Takes the caller's `x-request-id` when it is a safe token (else mints one), exposes it as
 * `c.var.requestId`, echoes it on the response and logs one JSON line per request.
 */
export function requestId<E extends EdgeEnv = EdgeEnv>(
  options: { log?: (line: Record<string, unknown>) => void } = {},
): MiddlewareHandler<E> {
  const log = options.log ?? ((line) => console.log(JSON.stringify(line)));
  return async (c, next) => {
    const ctx = c as unknown as Context<EdgeEnv>;
    const incoming = c.req.header(REQUEST_ID_HEADER);
    const id = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : newRequestId();
    ctx.set("requestId", id);
    const started = Date.now();
    await next();
    c.header(REQUEST_ID_HEADER, id);
    log({
      msg: "request",
      requestId: id,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      workspaceId: ctx.get("identity")?.workspaceId,
      ms: Date.now() - started,
    });
  };
}
