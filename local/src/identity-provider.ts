import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import { CLAIM, type Role, type TokenContext } from "@questline/contracts";
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";
import { freePort } from "./ports";

/** The local Cognito user pool the dev stack pretends to be. */
export const LOCAL_COGNITO = {
  region: "eu-west-1",
  userPoolId: "eu-west-1_QuestLocal",
  clients: {
    app: "questline-local-app",
    dashboard: "questline-local-dashboard",
    m2m: "questline-local-m2m",
  },
  m2mScopes: ["app/read", "app/write"],
} as const;

export const LOCAL_CLIENT_IDS: readonly string[] = Object.values(LOCAL_COGNITO.clients);

export function cognitoIssuer(region: string, userPoolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

export interface TokenClaimsInput {
  workspaceId: string;
  accountId?: string;
  userId?: string;
  role?: Role;
  context: TokenContext;
  lang?: string;
}

export interface MintTokenInput {
  claims: TokenClaimsInput;
  /** Defaults to the local app or dashboard client, after `claims.context`. */
  clientId?: string;
  /** Cognito `sub` (defaults to the user id; for M2M the client id). */
  sub?: string;
  username?: string;
  scope?: string;
  expiresInSeconds?: number;
}

/**
 * A Cognito-shaped access-token issuer: one RS256 key pair generated on first use and kept
 * under `<stateDir>/idp/` so tokens stay valid across restarts.
 */
export class LocalIdentityProvider {
  readonly issuer: string;
  readonly userPoolId: string;
  readonly region: string;

  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK,
    options: { region: string; userPoolId: string },
  ) {
    this.region = options.region;
    this.userPoolId = options.userPoolId;
    this.issuer = cognitoIssuer(options.region, options.userPoolId);
  }

  /** Loads the key pair from `<stateDir>/idp/signing-key.json`, creating it when missing (in memory without stateDir). */
  static async load(
    options: { stateDir?: string; region?: string; userPoolId?: string } = {},
  ): Promise<LocalIdentityProvider> {
    const settings = {
      region: options.region ?? LOCAL_COGNITO.region,
      userPoolId: options.userPoolId ?? LOCAL_COGNITO.userPoolId,
    };
    const file = options.stateDir ? join(options.stateDir, "idp", "signing-key.json") : undefined;
    let privateJwk: JWK | undefined;
    if (file) {
      try {
        privateJwk = JSON.parse(readFileSync(file, "utf8")) as JWK;
      } catch {
        privateJwk = undefined;
      }
    }
    if (!privateJwk) {
      const { privateKey } = await generateKeyPair("RS256", { extractable: true, modulusLength: 2048 });
      privateJwk = { ...(await exportJWK(privateKey)), kid: `ql-local-${randomUUID()}`, alg: "RS256", use: "sig" };
      if (file && options.stateDir) {
        mkdirSync(join(options.stateDir, "idp"), { recursive: true });
        writeFileSync(file, JSON.stringify(privateJwk), { mode: 0o600 });
      }
    }
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
    const privateKey = (await importJWK(privateJwk, "RS256")) as CryptoKey;
    return new LocalIdentityProvider(privateKey, publicJwk, settings);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** Signs an access token shaped like Cognito's (token_use "access") with our custom claims. */
  async mint(input: MintTokenInput): Promise<string> {
    const { claims } = input;
    const clientId =
      input.clientId ?? (claims.context === "dashboard" ? LOCAL_COGNITO.clients.dashboard : LOCAL_COGNITO.clients.app);
    const isM2m = clientId === LOCAL_COGNITO.clients.m2m;
    const sub = input.sub ?? (isM2m ? clientId : (claims.userId ?? randomUUID()));
    const scope = input.scope ?? (isM2m ? LOCAL_COGNITO.m2mScopes.join(" ") : "aws.cognito.signin.user.admin");
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      sub,
      token_use: "access",
      scope,
      auth_time: now,
      client_id: clientId,
      version: 2,
      jti: randomUUID(),
      origin_jti: randomUUID(),
      [CLAIM.workspaceId]: claims.workspaceId,
      [CLAIM.context]: claims.context,
    };
    if (!isM2m) payload.username = input.username ?? sub;
    if (claims.accountId) payload[CLAIM.accountId] = claims.accountId;
    if (claims.userId) payload[CLAIM.userId] = claims.userId;
    if (claims.role) payload[CLAIM.role] = claims.role;
    if (claims.lang) payload[CLAIM.lang] = claims.lang;
    return new SignJWT(payload)
      .setProtectedHeader({ alg: "RS256", kid: this.publicJwk.kid ?? "ql-local", typ: "JWT" })
      .setIssuer(this.issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + (input.expiresInSeconds ?? 3600))
      .sign(this.privateKey);
  }
}

/** Turns a local token request (`npm run token`) into the claims to sign, e.g. by ensuring the user exists. */
export type TokenRequestResolver = (request: Record<string, unknown>) => Promise<MintTokenInput>;

export interface RunningIdentityProvider {
  url: string;
  port: number;
  issuer: string;
  jwksUrl: string;
  provider: LocalIdentityProvider;
  stop(): Promise<void>;
}

/**
 * Serves the JWKS at `/<poolId>/.well-known/jwks.json` (where Cognito serves it) and
 * `POST /local/token`, which passes the JSON body to `resolveTokenRequest` and returns
 * `{ accessToken, expiresIn, tokenType }`. Local only: anyone who can reach the port can mint.
 */
export async function startIdentityProvider(
  options: {
    port?: number;
    stateDir?: string;
    provider?: LocalIdentityProvider;
    resolveTokenRequest?: TokenRequestResolver;
  } = {},
): Promise<RunningIdentityProvider> {
  const provider = options.provider ?? (await LocalIdentityProvider.load({ stateDir: options.stateDir }));
  const port = options.port ?? (await freePort());
  const jwksPath = `/${provider.userPoolId}/.well-known/jwks.json`;
  const resolve: TokenRequestResolver =
    options.resolveTokenRequest ?? (async (body) => body as unknown as MintTokenInput);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      send(res, 500, { message: err instanceof Error ? err.message : String(err) });
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "GET" && path === jwksPath) return send(res, 200, provider.jwks());
    if (req.method === "GET" && path === `/${provider.userPoolId}/.well-known/openid-configuration`) {
      return send(res, 200, { issuer: provider.issuer, jwks_uri: `http://127.0.0.1:${port}${jwksPath}` });
    }
    if (req.method === "GET" && path === "/health") return send(res, 200, { ok: true });
    if (req.method === "POST" && path === "/local/token") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      } catch {
        return send(res, 400, { message: "body must be JSON" });
      }
      let input: MintTokenInput;
      try {
        input = await resolve(body);
      } catch (err) {
        return send(res, 400, { message: err instanceof Error ? err.message : String(err) });
      }
      const accessToken = await provider.mint(input);
      return send(res, 200, { accessToken, expiresIn: input.expiresInSeconds ?? 3600, tokenType: "Bearer" });
    }
    return send(res, 404, { message: "not found" });
  }

  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok());
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    issuer: provider.issuer,
    jwksUrl: `${url}${jwksPath}`,
    provider,
    stop: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}
