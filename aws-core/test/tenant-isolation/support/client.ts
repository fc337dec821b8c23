import { type Identity, identityToHeaders } from "@questline/contracts";
import { createApp } from "../../../src/app/create-app";
import { contractRequest } from "../../support/contract";
import { viaGateway } from "../../support/gateway";
import { TEST_ACCOUNT_ID } from "../../support/identity";

/** One app per test file, called in process like the Lambda handler would. */
export const app = createApp();

export interface Answer {
  status: number;
  text: string;
  body: unknown;
  headers: Headers;
}

export interface Caller {
  readonly identity: Identity | null;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** Like `call`, but throws unless the status is `expected` (setup steps). */
  ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown, expected?: number): Promise<T>;
}

/** A caller with the edge's identity headers (`null` = no identity headers at all). */
export function caller(identity: (Partial<Identity> & Pick<Identity, "workspaceId" | "context">) | null): Caller {
  const full: Identity | null = identity ? { scopes: [], accountId: TEST_ACCOUNT_ID, ...identity } : null;
  const base = full ? identityToHeaders(full) : {};
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    // Media records are written only by the media worker's principal (as in production, through
    // the gateway); everything else is called in process like the Lambda handler would be.
    if (full && isMediaRecordWrite(method, path)) {
      return viaGateway({ as: "media", method, path, identity: full, body, headers });
    }
    const res = await contractRequest(app)(path, {
      method,
      headers: { ...base, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, text, body: parsed, headers: res.headers };
  };
  return {
    identity: full,
    call,
    async ok<T>(method: string, path: string, body?: unknown, expected = 200) {
      const answer = await call(method, path, body);
      if (answer.status !== expected) {
        throw new Error(`${method} ${path}: expected ${expected}, got ${answer.status}: ${answer.text}`);
      }
      return answer.body as T;
    },
  };
}

function isMediaRecordWrite(method: string, path: string): boolean {
  const route = path.split("?")[0] ?? "";
  return (
    (method === "POST" && route === "/dashboard/media") ||
    (method === "DELETE" && /^\/dashboard\/media\/[^/]+$/.test(route))
  );
}

/** The stable error code of an answer, if it is an error. */
export function errorCode(answer: Answer): string | undefined {
  const body = answer.body as { error?: { code?: unknown } } | null;
  return typeof body?.error?.code === "string" ? body.error.code : undefined;
}

/** `status code` of an answer, for readable comparisons in failure messages. */
export function outcome(answer: Answer): string {
  return `${answer.status} ${errorCode(answer) ?? "-"}`;
}
