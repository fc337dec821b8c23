import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/**
 * Signing secrets and signatures per the Standard Webhooks specification: a secret is
 * `whsec_<base64 of 32 random bytes>`, a signature `v1,<base64 HMAC-SHA256 of
 * "<webhook-id>.<webhook-timestamp>.<body>">` — computed by the `standardwebhooks` package, the
 * same code receivers verify with.
 */
export const SECRET_PREFIX = "whsec_";

/** How long a rotated-out secret still signs deliveries (both signatures are sent meanwhile). */
export const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

export interface StoredSecret {
  secret: string;
  createdAt: string;
  /** Set when the secret was rotated out: it signs until then. */
  expiresAt?: string;
}

export function newSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

/** The secrets that sign at `now`: the current one and a rotated-out one inside its overlap. */
export function activeSecrets(secrets: readonly StoredSecret[], now: Date): StoredSecret[] {
  return secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now.getTime());
}

/** Rotation: a new current secret first; the previous current one signs for the overlap window. */
export function rotateSecrets(
  secrets: readonly StoredSecret[],
  now: Date,
): { secrets: StoredSecret[]; secret: string } {
  const secret = newSigningSecret();
  const expiresAt = new Date(now.getTime() + SECRET_OVERLAP_MS).toISOString();
  const kept = activeSecrets(secrets, now).map((s) => (s.expiresAt ? s : { ...s, expiresAt }));
  return { secret, secrets: [{ secret, createdAt: now.toISOString() }, ...kept] };
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** The three headers of a delivery: one `v1,…` signature per active secret, space-separated. */
export function signDelivery(
  messageId: string,
  body: string,
  secrets: readonly StoredSecret[],
  at: Date,
): SignedHeaders {
  const signatures = activeSecrets(secrets, at).map((s) => new Webhook(s.secret).sign(messageId, at, body));
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
