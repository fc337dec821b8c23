import { env, exports } from "cloudflare:workers";
import { contractFetch } from "@questline/contract-testing/suite";
import { newWorkspaceId } from "@questline/contracts";
import { importJWK, type JWTPayload, SignJWT } from "jose";

export const ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_QuestLocal";
const signingJwk = JSON.parse(env.TEST_SIGNING_JWK) as { kid: string };
const signingKey = importJWK(signingJwk, "RS256");

export interface TokenOptions {
  workspaceId?: string;
  context?: "app" | "dashboard";
  role?: string;
  userId?: string | null;
  clientId?: string;
  scope?: string;
  lang?: string;
  claims?: JWTPayload;
  header?: Record<string, unknown>;
  key?: CryptoKey | Uint8Array;
  kid?: string;
  expiresIn?: number;
  notBefore?: number;
  issuer?: string;
}

/** A Cognito-shaped access token signed with the test issuer's key (or `key`). */
export async function mintToken(options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const context = options.context ?? "app";
  const payload: JWTPayload = {
    token_use: "access",
    client_id: options.clientId ?? (context === "app" ? "questline-local-app" : "questline-local-dashboard"),
    "custom:workspace_id": options.workspaceId ?? "wsTESTAAAA",
    "custom:context": context,
    ...(options.userId === null ? {} : { "custom:user_id": options.userId ?? `user-${crypto.randomUUID()}` }),
    ...(options.userId === null ? {} : { username: "someone" }),
    ...(options.role ? { "custom:role": options.role } : {}),
    ...(options.scope ? { scope: options.scope } : {}),
    ...(options.lang ? { "custom:lang": options.lang } : {}),
    ...options.claims,
  };
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: "RS256", kid: options.kid ?? signingJwk.kid, ...options.header })
    .setIssuer(options.issuer ?? ISSUER)
    .setSubject("sub-1")
    .setIssuedAt(now - 5)
    .setExpirationTime(now + (options.expiresIn ?? 600));
  if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
  return jwt.sign(options.key ?? (await signingKey));
}

export const appToken = (o: TokenOptions = {}) => mintToken({ context: "app", ...o });
export const dashboardToken = (o: TokenOptions = {}) => mintToken({ context: "dashboard", role: "editor", ...o });
export const m2mToken = (o: TokenOptions = {}) =>
  mintToken({ context: "app", userId: null, clientId: "questline-local-m2m", scope: "app/read app/write", ...o });

/**
 * The worker, called the way a client does; every answer is checked against docs/openapi.json
 * and the reference (@questline/contract-testing): an undocumented route or an off-schema answer
 * fails the test. CONTRACT_AUDIT=1 reports instead (see that package's README).
 */
const worker = contractFetch(
  (request: Request) => (exports as unknown as { default: Fetcher }).default.fetch(request),
  {
    audit: env.CONTRACT_AUDIT === "1",
    answeredByStandIn: ({ body }) => isCoreEcho(body),
  },
);

/** The core stand-in (vitest.config.ts) answers a forwarded call by echoing it: `{ method, path, search, headers, body }`. */
function isCoreEcho(body: string): boolean {
  if (!body.startsWith('{"method":')) return false;
  try {
    const keys = Object.keys(JSON.parse(body) as object).sort();
    return keys.join() === "body,headers,method,path,search";
  } catch {
    return false;
  }
}

export function call(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  return worker(new Request(`https://api.test${path}`, { ...init, headers }));
}

export function freshWorkspace(): string {
  return newWorkspaceId();
}

export interface SeedItem {
  workspaceId: string;
  itemType?: string;
  itemId: string;
  state?: string;
  defaultLang?: string;
  tags?: string[];
  payload?: Record<string, unknown>;
  texts: { lang: string; title: string; description?: string; body?: string }[];
  deleted?: boolean;
}

/** Writes catalog rows the way the indexer does (items, texts → FTS via triggers, tags). */
export async function seed(items: SeedItem[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (const item of items) {
    const type = item.itemType ?? "learningGroup";
    const tags = item.tags ?? [];
    statements.push(
      env.DB.prepare(
        `INSERT INTO catalog_items (workspace_id, item_type, item_id, version, deleted, state, origin, default_lang,
          tags, media_refs, payload, created_at, updated_at, changed_at, indexed_at)
         VALUES (?, ?, ?, 1, ?, ?, 'CUSTOM', ?, ?, '[]', ?, '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 1, 1)`,
      ).bind(
        item.workspaceId,
        type,
        item.itemId,
        item.deleted ? 1 : 0,
        item.state ?? "PUBLISHED",
        item.defaultLang ?? item.texts[0]?.lang ?? "en",
        JSON.stringify(tags),
        JSON.stringify(item.payload ?? {}),
      ),
    );
    for (const text of item.texts) {
      statements.push(
        env.DB.prepare(
          `INSERT INTO catalog_texts (workspace_id, item_type, item_id, lang, title, description, body)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).bind(item.workspaceId, type, item.itemId, text.lang, text.title, text.description ?? "", text.body ?? ""),
      );
    }
    for (const tag of tags) {
      statements.push(
        env.DB.prepare("INSERT INTO catalog_tags (workspace_id, item_type, item_id, tag) VALUES (?, ?, ?, ?)").bind(
          item.workspaceId,
          type,
          item.itemId,
          tag,
        ),
      );
    }
  }
  if (statements.length) await env.DB.batch(statements);
}

export interface StandInState {
  /** JWKS fetches the issuer stand-in has answered (all isolates, since the run started). */
  fetches: number;
  failing: boolean;
  /** The kids the issuer stand-in publishes now. */
  kids: string[];
  /** Requests that reached the core stand-in. */
  coreCalls: number;
}

/** Drives the JWKS/core stand-ins in `vitest.config.ts`: `/state`, `PUT /jwks`, `/jwks/failing?on=1`, `/jwks/reset`. */
export async function control(path: string, init?: RequestInit): Promise<StandInState> {
  const response = await fetch(`https://control.test${path}`, { method: "POST", ...init });
  return response.json();
}

/** Publishes `keys` (public JWKs) as the issuer's JWKS until the test ends. */
export function publishJwks(keys: unknown[]): Promise<StandInState> {
  return control("/jwks", { method: "PUT", body: JSON.stringify({ keys }) });
}
