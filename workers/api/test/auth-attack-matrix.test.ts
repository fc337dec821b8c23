import { env } from "cloudflare:workers";
import { generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { appToken, call, control, dashboardToken, ISSUER, m2mToken, mintToken } from "./support/helpers";

/**
 * Paths no edge route serves: they reach the catch-all forward to the core, so auth is the
 * only thing standing between a request and a signed call to the core.
 */
const APP_CATCH_ALL = [
  ["POST", "/app/activity-logs"],
  ["GET", "/app/users/me/missions"],
  ["PUT", "/app/users/me/profile"],
  ["PATCH", "/app/users/me/settings"],
  ["DELETE", "/app/users/me/devices/d1"],
  ["GET", "/app"],
] as const;
const DASHBOARD_CATCH_ALL = [
  ["POST", "/dashboard/mission-configurations"],
  ["GET", "/dashboard/mission-configurations"],
  ["GET", "/dashboard/users/u1/wallet?currency=coins"],
  ["PUT", "/dashboard/mission-configurations/m1"],
  ["PATCH", "/dashboard/rewards/r1"],
  ["DELETE", "/dashboard/rewards/r1"],
  ["POST", "/dashboard/quizzes"], // quizzes are read from D1 on /app only; dashboard CRUD is the core's
  ["GET", "/dashboard/catalog/something-else"],
  ["GET", "/dashboard"],
  ["GET", "/dashboard/"],
  ["GET", "/dashboard//double-slash"],
] as const;

/** Every route family the worker serves: D1-answered, documented forwards and the catch-all forward. */
const APP_ROUTES = [
  ["GET", "/app/whoami"],
  ["GET", "/app/catalog/search?q=climate"],
  ["GET", "/app/quizzes"],
  ["GET", "/app/quizzes/q1"],
  ["GET", "/app/learning-groups/g1"],
  ["GET", "/app/badge-configurations"],
  ...APP_CATCH_ALL,
] as const;
const DASHBOARD_ROUTES = [
  ["GET", "/dashboard/catalog/search?q=climate"],
  ["GET", "/dashboard/learning-paths"],
  ["POST", "/dashboard/learning-paths"],
  ["GET", "/dashboard/learning-paths/lp1"],
  ["PUT", "/dashboard/learning-paths/lp1"],
  ["DELETE", "/dashboard/learning-paths/lp1"],
  ["POST", "/dashboard/learning-paths/lp1/publish"],
  ...DASHBOARD_CATCH_ALL,
] as const;
const ALL_ROUTES = [...APP_ROUTES, ...DASHBOARD_ROUTES];

const hasBody = (method: string) => method !== "GET" && method !== "DELETE";

function b64url(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

let badTokens: [string, (context: "app" | "dashboard") => Promise<string>, string][];

beforeAll(async () => {
  const rogue = await generateKeyPair("RS256");
  const signingPublic = JSON.parse(env.TEST_SIGNING_JWK) as { n: string; e: string; kty: string; kid: string };
  const publicKeyBytes = new TextEncoder().encode(
    JSON.stringify({ kty: signingPublic.kty, n: signingPublic.n, e: signingPublic.e }),
  );
  const base = (context: "app" | "dashboard") => ({ context, role: context === "dashboard" ? "owner" : undefined });
  badTokens = [
    ["malformed", async () => "not-a-jwt", "auth.invalid_token"],
    ["garbage segments", async () => "a.b.c", "auth.invalid_token"],
    [
      "alg none",
      async (ctx) => {
        const good = await mintToken(base(ctx));
        return `${b64url({ alg: "none", kid: "test-key-1" })}.${good.split(".")[1]}.`;
      },
      "auth.invalid_token",
    ],
    [
      "HS256 signed with the public key",
      async (ctx) =>
        new SignJWT({
          token_use: "access",
          client_id: "questline-local-app",
          "custom:workspace_id": "wsTESTAAAA",
          "custom:context": ctx,
          "custom:user_id": "u1",
          "custom:role": "owner",
        })
          .setProtectedHeader({ alg: "HS256", kid: "test-key-1" })
          .setIssuer(ISSUER)
          .setExpirationTime("10m")
          .sign(publicKeyBytes),
      "auth.invalid_token",
    ],
    [
      "unknown kid",
      (ctx) => mintToken({ ...base(ctx), key: rogue.privateKey, kid: "forged-kid" }),
      "auth.invalid_token",
    ],
    ["known kid, wrong key", (ctx) => mintToken({ ...base(ctx), key: rogue.privateKey }), "auth.invalid_token"],
    ["expired", (ctx) => mintToken({ ...base(ctx), expiresIn: -3600 }), "auth.token_expired"],
    ["not yet valid", (ctx) => mintToken({ ...base(ctx), notBefore: 3600 }), "auth.invalid_token"],
    [
      "wrong issuer",
      (ctx) => mintToken({ ...base(ctx), issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other" }),
      "auth.invalid_token",
    ],
    ["wrong token_use", (ctx) => mintToken({ ...base(ctx), claims: { token_use: "refresh" } }), "auth.invalid_token"],
    [
      "ID token instead of access token",
      (ctx) => mintToken({ ...base(ctx), claims: { token_use: "id", aud: "questline-local-app" } }),
      "auth.invalid_token",
    ],
    ["wrong client", (ctx) => mintToken({ ...base(ctx), clientId: "someone-elses-client" }), "auth.invalid_token"],
    [
      "no workspace claim",
      (ctx) => mintToken({ ...base(ctx), claims: { "custom:workspace_id": undefined } }),
      "auth.invalid_token",
    ],
  ];
});

describe("attack matrix: every route rejects bad tokens with 401 and leaks nothing", () => {
  it("no token → 401 auth.missing_token with WWW-Authenticate", async () => {
    for (const [method, path] of ALL_ROUTES) {
      const res = await call(path, { method });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="questline"/);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("auth.missing_token");
    }
  });

  it("non-Bearer authorization → 401", async () => {
    const res = await call("/app/whoami", { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("each forged or invalid token → 401 with the same message on every route", async () => {
    const { coreCalls } = await control("/state");
    for (const [name, make, code] of badTokens) {
      // One forged token per context, sent to every route (signing is the slow part).
      const tokens = { app: await make("app"), dashboard: await make("dashboard") };
      for (const [method, path] of ALL_ROUTES) {
        const token = tokens[path.startsWith("/app") ? "app" : "dashboard"];
        const res = await call(path, {
          method,
          token,
          headers: { "content-type": "application/json" },
          body: hasBody(method) ? "{}" : null,
        });
        const body = (await res.json()) as { error: { code: string; message: string; details?: unknown } };
        expect(res.status, `${name}: ${method} ${path}`).toBe(401);
        expect(body.error.code, name).toBe(code);
        expect(body.error.details, name).toBeUndefined();
        expect(res.headers.get("www-authenticate"), name).toContain('error="invalid_token"');
        if (code === "auth.invalid_token") expect(body.error.message).toBe("The access token is invalid");
      }
    }
    expect((await control("/state")).coreCalls, "a rejected request reached the core").toBe(coreCalls);
  }, 60_000);

  it("the /dashboard/* catch-all answers every bad token exactly as the /app/* catch-all does", async () => {
    const { coreCalls } = await control("/state");
    const answer = async (method: string, path: string, token: string | undefined) => {
      const res = await call(path, { method, token, body: hasBody(method) ? "{}" : null });
      const { error } = (await res.json()) as { error: { code: string; message: string; requestId?: string } };
      const { requestId: _, ...stable } = error;
      return { status: res.status, error: stable, wwwAuthenticate: res.headers.get("www-authenticate") };
    };
    const cases: [string, (context: "app" | "dashboard") => Promise<string | undefined>][] = [
      ["no token", async () => undefined],
      ...badTokens.map(([name, make]) => [name, make] as [string, typeof make]),
    ];
    for (const [name, make] of cases) {
      const reference = await answer("POST", "/app/activity-logs", await make("app"));
      expect(reference.status, name).toBe(401);
      for (const [method, path] of DASHBOARD_CATCH_ALL) {
        expect(await answer(method, path, await make("dashboard")), `${name}: ${method} ${path}`).toEqual(reference);
      }
    }
    expect((await control("/state")).coreCalls, "a rejected request reached the core").toBe(coreCalls);
  });
});

describe("attack matrix: valid tokens without rights get 403", () => {
  it("app token on dashboard routes → 403", async () => {
    const token = await appToken();
    for (const [method, path] of DASHBOARD_ROUTES) {
      const res = await call(path, { method, token });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("auth.forbidden");
    }
  });

  it("dashboard token on app routes → 403", async () => {
    const token = await dashboardToken({ role: "owner" });
    for (const [method, path] of APP_ROUTES) {
      expect((await call(path, { method, token })).status, `${method} ${path}`).toBe(403);
    }
  });

  it("viewer may read but not write", async () => {
    const token = await dashboardToken({ role: "viewer" });
    for (const [method, path] of DASHBOARD_ROUTES) {
      const res = await call(path, { method, token, body: hasBody(method) ? "{}" : null });
      if (method === "GET") expect(res.status, `${method} ${path}`).toBe(200);
      else expect(res.status, `${method} ${path}`).toBe(403);
    }
  });

  it("dashboard token without a role → 403", async () => {
    const token = await mintToken({ context: "dashboard" });
    expect((await call("/dashboard/learning-paths", { token })).status).toBe(403);
  });

  it("M2M tokens need app scopes: none → 403, read-only cannot write", async () => {
    const none = await m2mToken({ scope: "" });
    expect((await call("/app/whoami", { token: none })).status).toBe(403);
    const readOnly = await m2mToken({ scope: "app/read" });
    expect((await call("/app/whoami", { token: readOnly })).status).toBe(200);
    expect((await call("/app/activity-logs", { method: "POST", token: readOnly, body: "{}" })).status).toBe(403);
  });

  it("M2M delegation: x-user-id or x-external-user-id, never both; end users cannot delegate", async () => {
    const m2m = await m2mToken();
    const asUser = await call("/app/whoami", { token: m2m, headers: { "x-user-id": "u-42" } });
    expect(await asUser.json()).toMatchObject({ userId: "u-42" });
    const asExternal = await call("/app/whoami", { token: m2m, headers: { "x-external-user-id": "crm-7" } });
    expect(await asExternal.json()).toMatchObject({ externalUserId: "crm-7" });
    const both = await call("/app/whoami", { token: m2m, headers: { "x-user-id": "u", "x-external-user-id": "e" } });
    expect(both.status).toBe(400);
    const user = await appToken();
    expect((await call("/app/whoami", { token: user, headers: { "x-user-id": "someone-else" } })).status).toBe(403);
  });

  it("the workspace comes from the token, whatever the request says", async () => {
    const token = await appToken({ workspaceId: "wsTOKEN123" });
    const res = await call("/app/whoami?workspaceId=wsOTHER456", {
      token,
      headers: { "x-ql-workspace-id": "wsOTHER456" },
    });
    expect(await res.json()).toMatchObject({ workspaceId: "wsTOKEN123" });
  });

  it("accepts a token within the clock leeway", async () => {
    const token = await mintToken({ expiresIn: -5 });
    expect((await call("/app/whoami", { token })).status).toBe(200);
  });
});
