/**
 * Server-side AWS Signature Version 4 verification (header form), on WebCrypto only, so the
 * same code runs in workerd (indexer) and Node (the local API Gateway stand-in).
 *
 * It rebuilds the canonical request from what was received, exactly as the signer
 * (aws4fetch, the AWS SDKs) builds it for non-S3 services, recomputes the signature with the
 * secret of the presented access key and compares in constant time. The payload hash is
 * always computed from the received body; a client-sent `x-amz-content-sha256` must match it.
 */

const encoder = new TextEncoder();
const ALGORITHM = "AWS4-HMAC-SHA256";
const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;._-]+),\s*Signature=([0-9a-f]{64})$/;

export interface SigV4VerifyInput {
  method: string;
  url: string;
  headers: Headers;
  body: ArrayBuffer | Uint8Array<ArrayBuffer> | string | null;
  /** Service and region the signature must be scoped to. */
  service: string;
  region: string;
  /** Returns the secret for an access key id, or undefined for an unknown key. */
  lookupSecret: (accessKeyId: string) => string | undefined | Promise<string | undefined>;
  now?: Date;
  maxSkewSeconds?: number;
}

export type SigV4Failure =
  | "missing_authorization"
  | "malformed_authorization"
  | "wrong_scope"
  | "unknown_key"
  | "missing_date"
  | "clock_skew"
  | "body_hash_mismatch"
  | "missing_signed_header"
  | "signature_mismatch";

export type SigV4Result = { ok: true; accessKeyId: string } | { ok: false; reason: SigV4Failure };

export async function verifySigV4(input: SigV4VerifyInput): Promise<SigV4Result> {
  const authorization = input.headers.get("authorization");
  if (!authorization) return { ok: false, reason: "missing_authorization" };
  const match = AUTH_PATTERN.exec(authorization.trim());
  if (!match) return { ok: false, reason: "malformed_authorization" };
  const [, accessKeyId = "", scopeDate = "", region, service, signedHeaderList = "", signature = ""] = match;
  if (region !== input.region || service !== input.service) return { ok: false, reason: "wrong_scope" };

  const amzDate = input.headers.get("x-amz-date");
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== scopeDate) {
    return { ok: false, reason: "missing_date" };
  }
  const signedAt = Date.UTC(
    Number(amzDate.slice(0, 4)),
    Number(amzDate.slice(4, 6)) - 1,
    Number(amzDate.slice(6, 8)),
    Number(amzDate.slice(9, 11)),
    Number(amzDate.slice(11, 13)),
    Number(amzDate.slice(13, 15)),
  );
  const now = (input.now ?? new Date()).getTime();
  if (Math.abs(now - signedAt) > (input.maxSkewSeconds ?? 300) * 1000) return { ok: false, reason: "clock_skew" };

  const signedHeaders = signedHeaderList.split(";");
  if (!signedHeaders.includes("host") || !signedHeaders.includes("x-amz-date")) {
    return { ok: false, reason: "missing_signed_header" };
  }
  const secret = await input.lookupSecret(accessKeyId);
  if (secret === undefined) return { ok: false, reason: "unknown_key" };

  const payloadHash = toHex(await sha256(input.body ?? ""));
  const claimedHash = input.headers.get("x-amz-content-sha256");
  if (claimedHash && claimedHash !== payloadHash && claimedHash !== "UNSIGNED-PAYLOAD") {
    return { ok: false, reason: "body_hash_mismatch" };
  }

  const url = new URL(input.url);
  const canonicalHeaders: string[] = [];
  for (const name of signedHeaders) {
    const value = name === "host" ? (input.headers.get("host") ?? url.host) : input.headers.get(name);
    if (value === null) return { ok: false, reason: "missing_signed_header" };
    canonicalHeaders.push(`${name}:${value.trim().replace(/\s+/g, " ")}`);
  }
  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalPath(url.pathname),
    canonicalQuery(url.searchParams),
    `${canonicalHeaders.join("\n")}\n`,
    signedHeaderList,
    claimedHash === "UNSIGNED-PAYLOAD" ? claimedHash : payloadHash,
  ].join("\n");
  const credentialScope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, credentialScope, toHex(await sha256(canonicalRequest))].join("\n");
  const signingKey = await deriveSigningKey(secret, scopeDate, input.region, input.service);
  const expected = toHex(await hmac(signingKey, stringToSign));
  if (!constantTimeEqual(expected, signature)) return { ok: false, reason: "signature_mismatch" };
  return { ok: true, accessKeyId };
}

/** Non-S3 services: collapse repeated slashes, then URI-encode the (already encoded) path again. */
export function canonicalPath(pathname: string): string {
  const collapsed = pathname.replace(/\/+/g, "/");
  return encodeRfc3986(encodeURIComponent(collapsed).replace(/%2F/g, "/"));
}

function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .filter(([key]) => key !== "")
    .map(([k, v]) => [encodeRfc3986(encodeURIComponent(k)), encodeRfc3986(encodeURIComponent(v))] as const)
    .sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

function encodeRfc3986(value: string): string {
  return value.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

async function deriveSigningKey(secret: string, date: string, region: string, service: string) {
  const kDate = await hmac(new Uint8Array(encoder.encode(`AWS4${secret}`)), date);
  const kRegion = await hmac(kDate, region);
  const kService = await hmac(kRegion, service);
  return hmac(kService, "aws4_request");
}

async function hmac(key: ArrayBuffer | Uint8Array<ArrayBuffer>, data: string): Promise<ArrayBuffer> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(data));
}

async function sha256(data: ArrayBuffer | Uint8Array<ArrayBuffer> | string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", typeof data === "string" ? encoder.encode(data) : data);
}

function toHex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
