import { type Identity, newRequestId, REQUEST_ID_HEADER } from "@questline/contracts";
import type { Context, MiddlewareHandler } from "hono";
import type { EdgeVariables } from "./env";

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The one line every edge worker logs per request (errors add their own line, see errorHandler). */
export interface RequestLogLine {
  msg: "request";
  requestId: string;
  method: string;
  path: string;
  status: number;
  /** Set when an auth middleware verified a token (`c.var.identity`); absent on the indexer. */
  workspaceId?: string;
  ms: number;
}

export interface RequestIdOptions {
  /**
   * Request headers whose value becomes the request id, in order; the first one that is a
   * safe token wins, else a fresh id is minted. Default: the caller's `x-request-id`, so a
   * client or the edge can correlate its own logs. The indexer passes `["cf-ray"]`: its
   * callers are machines that send no id, the middleware runs before their signature is
   * checked, and Cloudflare's ray id joins the line to Cloudflare's own logs.
   */
  from?: readonly string[];
  log?: (line: RequestLogLine) => void;
}

/** Any Hono env whose variables hold `requestId` (the api and media `EdgeEnv`, the indexer's own). */
export interface RequestIdEnv {
  Variables: Pick<EdgeVariables, "requestId">;
}

/**
 * Picks the request id (see `RequestIdOptions.from`), exposes it as `c.var.requestId`, echoes
 * it on the response (`x-request-id`) and logs one JSON line per request.
 */
export function requestId<E extends RequestIdEnv = RequestIdEnv>(options: RequestIdOptions = {}): MiddlewareHandler<E> {
  const sources = options.from ?? [REQUEST_ID_HEADER];
  const log = options.log ?? ((line) => console.log(JSON.stringify(line)));
  return async (c, next) => {
    const ctx = c as unknown as Context<{ Variables: { requestId: string; identity?: Identity } }>;
    const id = sources.map((name) => c.req.header(name)).find(isSafeRequestId) ?? newRequestId();
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

function isSafeRequestId(value: string | undefined): value is string {
  return value !== undefined && SAFE_REQUEST_ID.test(value);
}
