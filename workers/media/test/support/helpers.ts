import { env, exports } from "cloudflare:workers";
import { contractFetch } from "@questline/contract-testing/suite";
import { importJWK, type JWTPayload, SignJWT } from "jose";
import { TEST_PRIVATE_JWK } from "./keys";

export const WS = "wsMediaAAA";
export const OTHER_WS = "wsMediaBBB";

type Role = "owner" | "admin" | "editor" | "viewer";

export interface TokenOptions {
  workspaceId?: string;
  role?: Role;
  context?: "app" | "dashboard";
  expiresIn?: string;
  userId?: string;
  /** Sign with another key (an attacker's); the `kid` stays the test key's unless `kid` is given. */
  key?: CryptoKey;
  kid?: string;
  issuer?: string;
  /** Extra or overriding claims (`undefined` removes one). */
  claims?: JWTPayload;
}

export async function token(opts: TokenOptions = {}): Promise<string> {
  const context = opts.context ?? "dashboard";
  const key = opts.key ?? (await importJWK(TEST_PRIVATE_JWK, "RS256"));
  return new SignJWT({
    token_use: "access",
    client_id: context === "dashboard" ? "dashboard-client" : "app-client",
    "custom:workspace_id": opts.workspaceId ?? WS,
    "custom:context": context,
    "custom:user_id": opts.userId ?? "user-1",
    ...(context === "dashboard" ? { "custom:role": opts.role ?? "editor" } : {}),
    ...opts.claims,
  })
    .setProtectedHeader({ alg: "RS256", kid: opts.kid ?? TEST_PRIVATE_JWK.kid })
    .setIssuer(opts.issuer ?? `https://cognito-idp.${env.COGNITO_REGION}.amazonaws.com/${env.COGNITO_USER_POOL_ID}`)
    .setSubject("user-1")
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? "10m")
    .sign(key);
}

/**
 * The worker, called the way a client does; every answer is checked against docs/openapi.json
 * and the reference (@questline/contract-testing): an undocumented route or an off-schema answer
 * fails the test. CONTRACT_AUDIT=1 reports instead (see that package's README).
 */
const worker = contractFetch((request: Request) => exports.default.fetch(request), {
  audit: env.CONTRACT_AUDIT === "1",
});

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return worker(new Request(`https://media.test${path}`, init));
}

export async function authed(path: string, init: RequestInit = {}, tokenValue?: string): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${tokenValue ?? (await token())}`);
  return call(path, { ...init, headers });
}

/** A real 1×1 PNG header (IHDR says 640×480) padded to `size` bytes. */
export function png(size = 1024, width = 640, height = 480): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, width);
  new DataView(bytes.buffer).setUint32(20, height);
  for (let i = 24; i < size; i++) bytes[i] = i % 251;
  return bytes;
}

export function pdf(size = 2048): Uint8Array {
  const bytes = new Uint8Array(size).fill(0x20);
  bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
  return bytes;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function upload(
  bytes: Uint8Array,
  query: Record<string, string> = {},
  opts: { tokenValue?: string; headers?: Record<string, string>; method?: string } = {},
): Promise<Response> {
  const qs = new URLSearchParams({ fileName: "photo.png", ...query });
  return authed(
    `/dashboard/media?${qs}`,
    {
      method: opts.method ?? "POST",
      body: bytes,
      headers: { "content-length": String(bytes.byteLength), ...opts.headers },
    },
    opts.tokenValue,
  );
}

export async function coreCalls(): Promise<
  { method: string; path: string; signature: string; headers: Record<string, string>; body: Record<string, unknown> }[]
> {
  return (await fetch("http://core.test/__calls")).json();
}

export async function resetCore(): Promise<void> {
  await fetch("http://core.test/__reset", { method: "POST" });
}

export async function listKeys(prefix = ""): Promise<string[]> {
  const listing = await env.MEDIA.list({ prefix });
  return listing.objects.map((o) => o.key);
}

/** The `error.code` of an error response body. */
export async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

/** Stores a private PDF of workspace WS straight in R2 and returns its key. */
export async function putPrivatePdf(): Promise<string> {
  const key = `${WS}/private/priv${crypto.randomUUID().slice(0, 8)}/secret.pdf`;
  await env.MEDIA.put(key, "%PDF-1.7 secret", { httpMetadata: { contentType: "application/pdf" } });
  return key;
}
