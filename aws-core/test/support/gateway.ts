import { type Identity, identityToHeaders } from "@questline/contracts";
import {
  type ApiHandler,
  createGatewayInvoker,
  LOCAL_EDGE_CREDENTIALS,
  LOCAL_MEDIA_CREDENTIALS,
} from "@questline/local";
import { AwsClient } from "aws4fetch";
import { handler } from "../../src/handlers/api";

/**
 * Calls the core the way production does: SigV4-signed by an edge principal (the api worker's
 * or the media worker's local IAM key), verified by the local API Gateway stand-in, which
 * builds the Lambda event (IAM caller included) and invokes the real Lambda handler.
 */
const invoke = createGatewayInvoker({ handler: handler as unknown as ApiHandler });

const signers = {
  api: new AwsClient({ ...LOCAL_EDGE_CREDENTIALS, service: "execute-api", region: "eu-west-1", retries: 0 }),
  media: new AwsClient({ ...LOCAL_MEDIA_CREDENTIALS, service: "execute-api", region: "eu-west-1", retries: 0 }),
};

export type EdgePrincipal = keyof typeof signers;

export interface GatewayCall {
  as: EdgePrincipal;
  method: string;
  path: string;
  identity: Partial<Identity> & Pick<Identity, "workspaceId" | "context">;
  body?: unknown;
  headers?: Record<string, string>;
  /** Headers added after signing (not covered by the signature; the gateway does not notice). */
  unsigned?: Record<string, string>;
}

export interface GatewayAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

export async function viaGateway(call: GatewayCall): Promise<GatewayAnswer> {
  const url = `http://core.local.test${call.path}`;
  const headers: Record<string, string> = {
    ...identityToHeaders({ scopes: [], ...call.identity }),
    ...(call.body !== undefined ? { "content-type": "application/json" } : {}),
    ...call.headers,
  };
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  const signed = await signers[call.as].sign(url, { method: call.method, headers, ...(body ? { body } : {}) });
  const sent: [string, string][] = [...signed.headers];
  for (const [name, value] of Object.entries(call.unsigned ?? {})) {
    const at = sent.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (at >= 0) sent.splice(at, 1);
    sent.push([name, value]);
  }
  const response = await invoke({
    method: call.method,
    url,
    headers: sent,
    body: body ? new TextEncoder().encode(body) : new Uint8Array(),
    sourceIp: "127.0.0.1",
  });
  const text = new TextDecoder().decode(response.body);
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: new Headers(response.headers), text, body: parsed };
}
