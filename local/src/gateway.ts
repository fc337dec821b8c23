import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { verifySigV4 } from "@questline/contracts";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { lambdaContext } from "./lambda-context";
import { freePort } from "./ports";

export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** The edge's local IAM credentials (the api worker signs with these). */
export const LOCAL_EDGE_CREDENTIALS = {
  accessKeyId: "AKIDQUESTLINELOCAL",
  secretAccessKey: "questline-local-edge-secret-do-not-use-in-production",
} as const;

/**
 * The media worker's own local IAM credentials: a principal distinct from the api worker's, so
 * the core can accept media records from it alone (`MEDIA_WRITER_ARNS`).
 */
export const LOCAL_MEDIA_CREDENTIALS = {
  accessKeyId: "AKIDQUESTLINEMEDIA",
  secretAccessKey: "questline-local-media-secret-do-not-use-in-production",
} as const;

/** IAM user names of the local principals (the `userArn` API Gateway reports to the Lambda). */
export const LOCAL_PRINCIPAL_NAMES: Readonly<Record<string, string>> = {
  [LOCAL_EDGE_CREDENTIALS.accessKeyId]: "questline-edge-local",
  [LOCAL_MEDIA_CREDENTIALS.accessKeyId]: "questline-media-local",
};

/** The ARN of a local IAM user, as the gateway reports it. */
export function localPrincipalArn(userName: string, accountId = "000000000000"): string {
  return `arn:aws:iam::${accountId}:user/${userName}`;
}

export interface LocalGatewayOptions {
  /** The Lambda handler, or a loader called once on the first request (e.g. a dynamic import). */
  handler: ApiHandler | { load: () => Promise<ApiHandler> };
  port?: number;
  region?: string;
  /** Access key id → secret accepted for `execute-api:Invoke`. Defaults to the local edge and media keys. */
  credentials?: Record<string, string>;
  /** Access key id → IAM user name reported as the caller (default `LOCAL_PRINCIPAL_NAMES`, else the key id). */
  principals?: Record<string, string>;
  accountId?: string;
  apiId?: string;
  maxSkewSeconds?: number;
  functionName?: string;
  /** Called with a line for each rejected request and each handler failure. */
  onLog?: (line: string) => void;
}

export interface LocalGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const TEXT_CONTENT = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[\w.+-]+\+(json|xml)))/i;

/** Stand-in for an API Gateway HTTP API with IAM auth and one `$default` route to a Lambda. */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const port = options.port ?? (await freePort());
  const invoke = createGatewayInvoker(options);
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => invoke(toIncoming(req, body, port)))
      .then((response) => writeResponse(res, response))
      .catch((err: unknown) => {
        options.onLog?.(`gateway: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        writeResponse(res, jsonResponse(500, { message: "Internal Server Error" }));
      });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/** A request as the gateway received it (headers keep their repeats). */
export interface IncomingGatewayRequest {
  method: string;
  /** Absolute URL as the client addressed it (host header included). */
  url: string;
  headers: [string, string][];
  body: Uint8Array;
  sourceIp: string;
}

export interface GatewayResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

/** Verifies SigV4, builds the v2 event, invokes the handler and maps its result (no HTTP server involved). */
export function createGatewayInvoker(options: LocalGatewayOptions) {
  const region = options.region ?? "eu-west-1";
  const accountId = options.accountId ?? "000000000000";
  const apiId = options.apiId ?? "qllocal001";
  const credentials = options.credentials ?? {
    [LOCAL_EDGE_CREDENTIALS.accessKeyId]: LOCAL_EDGE_CREDENTIALS.secretAccessKey,
    [LOCAL_MEDIA_CREDENTIALS.accessKeyId]: LOCAL_MEDIA_CREDENTIALS.secretAccessKey,
  };
  const principals = { ...LOCAL_PRINCIPAL_NAMES, ...options.principals };
  let handlerPromise: Promise<ApiHandler> | undefined;
  const getHandler = () => {
    const h = options.handler;
    handlerPromise ??= typeof h === "function" ? Promise.resolve(h) : h.load();
    return handlerPromise;
  };

  return async function invoke(request: IncomingGatewayRequest): Promise<GatewayResponse> {
    const headers = new Headers();
    for (const [name, value] of request.headers) headers.append(name, value);
    const verdict = await verifySigV4({
      method: request.method,
      url: request.url,
      headers,
      body: request.body.byteLength ? new Uint8Array(request.body) : null,
      service: "execute-api",
      region,
      lookupSecret: (id) => credentials[id],
      maxSkewSeconds: options.maxSkewSeconds ?? 300,
    });
    if (!verdict.ok) {
      options.onLog?.(`gateway: 403 ${request.method} ${new URL(request.url).pathname} (${verdict.reason})`);
      return jsonResponse(403, { message: FORBIDDEN_MESSAGES[verdict.reason] ?? "Forbidden" });
    }
    const event = buildApiGatewayEvent(request, {
      region,
      accountId,
      apiId,
      accessKeyId: verdict.accessKeyId,
      userName: principals[verdict.accessKeyId] ?? verdict.accessKeyId,
    });
    const handler = await getHandler();
    let result: APIGatewayProxyResultV2;
    try {
      result = await handler(
        event,
        lambdaContext({ functionName: options.functionName ?? "questline-api", region, accountId }),
      );
    } catch (err) {
      options.onLog?.(`gateway: handler failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return jsonResponse(500, { message: "Internal Server Error" });
    }
    return mapLambdaResult(result);
  };
}

const FORBIDDEN_MESSAGES: Partial<Record<string, string>> = {
  missing_authorization: "Missing Authentication Token",
  clock_skew: "Signature expired: the request time is more than 5 minutes away from the server time.",
  signature_mismatch:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
  unknown_key: "The security token included in the request is invalid.",
  wrong_scope: "Credential should be scoped to a valid region and service.",
};

/** Builds the payload-format-2.0 event API Gateway sends to a Lambda proxy integration. */
export function buildApiGatewayEvent(
  request: IncomingGatewayRequest,
  settings: { region: string; accountId: string; apiId: string; accessKeyId: string; userName?: string; now?: Date },
): APIGatewayProxyEventV2 {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [rawName, value] of request.headers) {
    const name = rawName.toLowerCase();
    if (name === "cookie") {
      cookies.push(
        ...value
          .split(";")
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  const now = settings.now ?? new Date();
  const contentType = headers["content-type"] ?? "";
  const hasBody = request.body.byteLength > 0;
  const isText = hasBody && TEXT_CONTENT.test(contentType);
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ""),
    headers,
    requestContext: {
      accountId: settings.accountId,
      apiId: settings.apiId,
      domainName: url.host,
      domainPrefix: url.hostname.split(".")[0] ?? url.hostname,
      http: {
        method: request.method.toUpperCase(),
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: formatRequestTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: hasBody && !isText,
  };
  if (cookies.length) event.cookies = cookies;
  if (url.search.length > 1) event.queryStringParameters = query;
  if (hasBody)
    event.body = isText ? new TextDecoder().decode(request.body) : Buffer.from(request.body).toString("base64");
  // API Gateway adds the IAM caller to the context; the aws-lambda types only model JWT/Lambda authorizers.
  (event.requestContext as unknown as Record<string, unknown>).authorizer = {
    iam: {
      accessKey: settings.accessKeyId,
      accountId: settings.accountId,
      callerId: settings.accessKeyId,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: localPrincipalArn(settings.userName ?? "questline-edge-local", settings.accountId),
      userId: settings.accessKeyId,
    },
  };
  return event;
}

/** Maps a Lambda result to HTTP following API Gateway's payload-format-2.0 rules. */
export function mapLambdaResult(result: APIGatewayProxyResultV2): GatewayResponse {
  const structured =
    result !== null && typeof result === "object" && "statusCode" in result && result.statusCode !== undefined;
  if (!structured) {
    // No statusCode: API Gateway answers 200 with the JSON-serialised payload.
    return jsonResponse(200, result === undefined ? null : result);
  }
  const headers: [string, string][] = [];
  for (const [name, value] of Object.entries(result.headers ?? {})) headers.push([name, String(value)]);
  for (const cookie of result.cookies ?? []) headers.push(["set-cookie", cookie]);
  const text = result.body ?? "";
  const body = result.isBase64Encoded ? new Uint8Array(Buffer.from(text, "base64")) : new TextEncoder().encode(text);
  return { status: result.statusCode ?? 200, headers, body };
}

function jsonResponse(status: number, payload: unknown): GatewayResponse {
  const text = JSON.stringify(payload);
  return { status, headers: [["content-type", "application/json"]], body: new TextEncoder().encode(text) };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `12/Mar/2020:19:03:58 +0000`, the format API Gateway uses for requestContext.time. */
function formatRequestTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000`;
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

function toIncoming(req: IncomingMessage, body: Uint8Array, port: number): IncomingGatewayRequest {
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  const host = req.headers.host ?? `127.0.0.1:${port}`;
  return {
    method: req.method ?? "GET",
    url: `http://${host}${req.url ?? "/"}`,
    headers,
    body,
    sourceIp: (req.socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, ""),
  };
}

function writeResponse(res: ServerResponse, response: GatewayResponse) {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of response.headers) {
    const key = name.toLowerCase();
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  for (const [name, values] of grouped) res.setHeader(name, values.length === 1 ? values[0]! : values);
  res.statusCode = response.status;
  res.end(Buffer.from(response.body));
}
