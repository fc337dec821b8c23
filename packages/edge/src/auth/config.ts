import type { EdgeAuthBindings } from "../env";
import { jwksCacheFor } from "./jwks-cache";
import { type AccessTokenConfig, cognitoIssuer } from "./verify-access-token";

const configs = new Map<string, AccessTokenConfig>();

function numberVar(value: string | undefined, fallback: number): number {
  const parsed = value === undefined || value === "" ? Number.NaN : Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}

function parseWorkspaceClients(raw: string | undefined): Record<string, string[]> | undefined {
  if (!raw) return undefined;
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error("COGNITO_WORKSPACE_CLIENT_IDS must be a JSON object of workspaceId → client ids");
  }
  const out: Record<string, string[]> = {};
  for (const [workspaceId, ids] of Object.entries(parsed)) {
    if (Array.isArray(ids)) out[workspaceId] = ids.filter((id): id is string => typeof id === "string");
  }
  return out;
}

/** The token verification config for an env, built once per isolate (and per distinct config). */
export function accessTokenConfigFromEnv(env: EdgeAuthBindings): AccessTokenConfig {
  const key = [
    env.JWKS_URL,
    env.COGNITO_REGION,
    env.COGNITO_USER_POOL_ID,
    env.COGNITO_CLIENT_IDS,
    env.COGNITO_WORKSPACE_CLIENT_IDS ?? "",
    env.JWT_LEEWAY_SECONDS ?? "",
    env.JWKS_REFRESH_COOLDOWN_SECONDS ?? "",
  ].join("\u0000");
  let config = configs.get(key);
  if (!config) {
    const workspaceClientIds = parseWorkspaceClients(env.COGNITO_WORKSPACE_CLIENT_IDS);
    config = {
      issuer: cognitoIssuer(env.COGNITO_REGION, env.COGNITO_USER_POOL_ID),
      jwks: jwksCacheFor(env.JWKS_URL, {
        refreshCooldownMs: numberVar(env.JWKS_REFRESH_COOLDOWN_SECONDS, 30) * 1000,
      }),
      clientIds: (env.COGNITO_CLIENT_IDS ?? "")
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
      leewaySeconds: numberVar(env.JWT_LEEWAY_SECONDS, 10),
      ...(workspaceClientIds ? { workspaceClientIds } : {}),
    };
    configs.set(key, config);
  }
  return config;
}
