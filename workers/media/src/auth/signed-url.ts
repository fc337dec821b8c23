import { QuestlineError } from "@questline/contracts/errors";

/**
 * Signed URLs for private media: `?exp=<unix seconds>&sig=<base64url HMAC-SHA256>` over
 * `GET\n<key>\n<exp>`. HEAD is accepted with a GET signature (same representation).
 */
export const SIGNED_URL_MAX_SECONDS = 3600;
export const SIGNED_URL_DEFAULT_SECONDS = 300;

const encoder = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keyCache.set(secret, key);
  }
  return key;
}

function toBase64Url(bytes: ArrayBuffer): string {
  let binary = "";
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(value: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(value)) return null;
  const binary = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // One spelling per signature: the last character carries 2 unused bits, and a variant that
  // differs only there would decode to the same bytes (a second valid URL for the same grant).
  return toBase64Url(bytes.buffer) === value ? bytes : null;
}

function payload(key: string, exp: number): Uint8Array<ArrayBuffer> {
  return encoder.encode(`GET\n${key}\n${exp}`) as Uint8Array<ArrayBuffer>;
}

export async function signMediaKey(secret: string, key: string, exp: number): Promise<string> {
  return toBase64Url(await crypto.subtle.sign("HMAC", await hmacKey(secret), payload(key, exp)));
}

/** Throws 403 on a bad, tampered or expired signature. */
export async function verifySignedUrl(secret: string, key: string, url: URL, nowSeconds: number): Promise<void> {
  const exp = Number(url.searchParams.get("exp"));
  const sig = fromBase64Url(url.searchParams.get("sig") ?? "");
  if (!Number.isSafeInteger(exp) || !sig) throw new QuestlineError("auth.forbidden", "Invalid signed URL");
  // crypto.subtle.verify compares in constant time.
  const valid = await crypto.subtle.verify("HMAC", await hmacKey(secret), sig, payload(key, exp));
  if (!valid) throw new QuestlineError("auth.forbidden", "Invalid signed URL");
  if (exp <= nowSeconds) throw new QuestlineError("auth.signature_expired", "Signed URL expired");
  if (exp - nowSeconds > SIGNED_URL_MAX_SECONDS) throw new QuestlineError("auth.forbidden", "Invalid signed URL");
}
