import { z } from "zod";

export const ROLES = ["owner", "admin", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];
export const TOKEN_CONTEXTS = ["app", "dashboard"] as const;
export type TokenContext = (typeof TOKEN_CONTEXTS)[number];

/** Roles allowed to write through the dashboard API. */
export const WRITER_ROLES: readonly Role[] = ["owner", "admin", "editor"];

export function canWrite(role: Role | undefined): boolean {
  return role !== undefined && WRITER_ROLES.includes(role);
}

/** Our custom claims, added to Cognito access tokens by the pre-token-generation trigger. */
export const CLAIM = {
  workspaceId: "custom:workspace_id",
  accountId: "custom:account_id",
  userId: "custom:user_id",
  role: "custom:role",
  context: "custom:context",
  lang: "custom:lang",
} as const;

/**
 * The identity the edge verified, as it travels to the AWS core. The core trusts these
 * headers only because every request that reaches it is SigV4-signed by the edge.
 */
export const IDENTITY_HEADERS = {
  workspaceId: "x-ql-workspace-id",
  accountId: "x-ql-account-id",
  userId: "x-ql-user-id",
  externalUserId: "x-ql-external-user-id",
  role: "x-ql-role",
  context: "x-ql-context",
  clientId: "x-ql-client-id",
  scopes: "x-ql-scopes",
  lang: "x-ql-lang",
} as const;

export const REQUEST_ID_HEADER = "x-request-id";
export const IDEMPOTENCY_KEY_HEADER = "x-idempotency-key";
/** Set to `true` on a response that replays the stored result of an earlier request with the same key. */
export const IDEMPOTENT_REPLAY_HEADER = "x-idempotent-replay";
/** Set to `true` when an activity log with a client-chosen id had already been applied (returned, not re-applied). */
export const ACTIVITY_LOG_REPLAYED_HEADER = "x-activity-log-replayed";

export const identitySchema = z.object({
  workspaceId: z.string().regex(/^[A-Za-z0-9_-]{10}$/),
  accountId: z.string().optional(),
  userId: z.string().optional(),
  externalUserId: z.string().optional(),
  role: z.enum(ROLES).optional(),
  context: z.enum(TOKEN_CONTEXTS),
  clientId: z.string().optional(),
  scopes: z.array(z.string()).default([]),
  lang: z.string().optional(),
});
export type Identity = z.infer<typeof identitySchema>;

export function identityToHeaders(identity: Identity): Record<string, string> {
  const headers: Record<string, string> = {
    [IDENTITY_HEADERS.workspaceId]: identity.workspaceId,
    [IDENTITY_HEADERS.context]: identity.context,
  };
  if (identity.accountId) headers[IDENTITY_HEADERS.accountId] = identity.accountId;
  if (identity.userId) headers[IDENTITY_HEADERS.userId] = identity.userId;
  if (identity.externalUserId) headers[IDENTITY_HEADERS.externalUserId] = identity.externalUserId;
  if (identity.role) headers[IDENTITY_HEADERS.role] = identity.role;
  if (identity.clientId) headers[IDENTITY_HEADERS.clientId] = identity.clientId;
  if (identity.scopes.length) headers[IDENTITY_HEADERS.scopes] = identity.scopes.join(" ");
  if (identity.lang) headers[IDENTITY_HEADERS.lang] = identity.lang;
  return headers;
}

/** Reads the identity headers back; returns null when they are missing or malformed. */
export function identityFromHeaders(get: (name: string) => string | undefined | null): Identity | null {
  const raw = {
    workspaceId: get(IDENTITY_HEADERS.workspaceId) ?? undefined,
    accountId: get(IDENTITY_HEADERS.accountId) ?? undefined,
    userId: get(IDENTITY_HEADERS.userId) ?? undefined,
    externalUserId: get(IDENTITY_HEADERS.externalUserId) ?? undefined,
    role: get(IDENTITY_HEADERS.role) ?? undefined,
    context: get(IDENTITY_HEADERS.context) ?? undefined,
    clientId: get(IDENTITY_HEADERS.clientId) ?? undefined,
    scopes: (get(IDENTITY_HEADERS.scopes) ?? "").split(" ").filter(Boolean),
    lang: get(IDENTITY_HEADERS.lang) ?? undefined,
  };
  const parsed = identitySchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
