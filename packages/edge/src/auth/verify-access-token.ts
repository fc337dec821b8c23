import { CLAIM, type Identity, isWorkspaceId, ROLES, type Role, TOKEN_CONTEXTS } from "@questline/contracts";
import { decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from "jose";
import { expiredToken, invalidToken } from "./errors";
import type { JwksCache } from "./jwks-cache";

export interface AccessTokenConfig {
  /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>` */
  issuer: string;
  jwks: JwksCache;
  /** App clients whose tokens are accepted. */
  clientIds: readonly string[];
  /** Optional narrower allow-list per workspace; a workspace listed here accepts only its clients. */
  workspaceClientIds?: Readonly<Record<string, readonly string[]>>;
  /** Leeway for `exp` and `nbf`, seconds. */
  leewaySeconds: number;
  now?: () => Date;
}

/** What a verified access token says, before route-specific checks (context, role, scopes, delegation). */
export interface VerifiedAccessToken {
  identity: Identity;
  /** True for client-credentials (machine-to-machine) tokens: no end user behind them. */
  machine: boolean;
  claims: JWTPayload;
}

const MAX_TOKEN_LENGTH = 8192;
const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Verifies a Cognito access token: RS256 only, `kid` from the issuer's JWKS, `iss`,
 * `exp`/`nbf` with leeway, `token_use: access`, an allowed `client_id`, and our custom
 * claims. Throws `auth.invalid_token` / `auth.token_expired` (401).
 */
export async function verifyAccessToken(token: string, config: AccessTokenConfig): Promise<VerifiedAccessToken> {
  if (token.length > MAX_TOKEN_LENGTH || !JWS_COMPACT.test(token)) throw invalidToken("malformed");
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw invalidToken("malformed header");
  }
  if (header.alg !== "RS256") throw invalidToken(`alg ${String(header.alg)}`);
  if (typeof header.kid !== "string" || header.kid.length === 0 || header.kid.length > 256) {
    throw invalidToken("missing kid");
  }
  if (header.crit !== undefined) throw invalidToken("crit header");

  const key = await config.jwks.getKey(header.kid);
  if (!key) throw invalidToken("unknown kid");

  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, key, {
      algorithms: ["RS256"],
      issuer: config.issuer,
      clockTolerance: config.leewaySeconds,
      requiredClaims: ["exp"],
      ...(config.now ? { currentDate: config.now() } : {}),
    }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw expiredToken();
    throw invalidToken(err instanceof Error ? `${err.name}: ${err.message}` : "verification failed");
  }

  if (claims.token_use !== "access") throw invalidToken(`token_use ${String(claims.token_use)}`);
  const clientId = claims.client_id;
  if (typeof clientId !== "string") throw invalidToken("missing client_id");

  const workspaceId = claims[CLAIM.workspaceId];
  if (!isWorkspaceId(workspaceId)) throw invalidToken("missing workspace claim");
  const allowed = config.workspaceClientIds?.[workspaceId] ?? config.clientIds;
  if (!allowed.includes(clientId)) throw invalidToken("client not allowed");

  const context = claims[CLAIM.context];
  if (!(TOKEN_CONTEXTS as readonly unknown[]).includes(context)) throw invalidToken("missing context claim");
  const role = claims[CLAIM.role];
  const userId = stringClaim(claims[CLAIM.userId]);
  const scopes = typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [];
  const machine = userId === undefined && typeof claims.username !== "string";

  const identity: Identity = {
    workspaceId,
    context: context as Identity["context"],
    clientId,
    scopes,
    ...(stringClaim(claims[CLAIM.accountId]) ? { accountId: stringClaim(claims[CLAIM.accountId]) } : {}),
    ...(userId ? { userId } : {}),
    ...((ROLES as readonly unknown[]).includes(role) ? { role: role as Role } : {}),
    ...(stringClaim(claims[CLAIM.lang]) ? { lang: stringClaim(claims[CLAIM.lang]) } : {}),
  };
  return { identity, machine, claims };
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 && value.length <= 256 ? value : undefined;
}

export function cognitoIssuer(region: string, userPoolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}
