import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../src/index";
import { authed, call, coreCalls, errorCode, listKeys, OTHER_WS, putPrivatePdf, token, WS } from "./support/helpers";
import { TEST_PUBLIC_JWK } from "./support/keys";

const ID = "FUMzPf00hz_kcj2R2Hlzq";
const PRIVATE_FILE = `/files/${WS}/private/${ID}/secret.pdf`;

/** Every admin route: dashboard token, editor role or above, for every method. */
const DASHBOARD_ROUTES = [
  ["POST", "/dashboard/media?fileName=a.png"],
  ["PUT", "/dashboard/media?fileName=a.png"],
  ["POST", "/dashboard/media/multipart"],
  ["GET", `/dashboard/media/multipart/${ID}`],
  ["DELETE", `/dashboard/media/multipart/${ID}`],
  ["POST", `/dashboard/media/multipart/${ID}/complete`],
  ["PUT", `/dashboard/media/multipart/${ID}/parts/1`],
  ["GET", "/dashboard/media/upload-url?fileName=a.png"],
  ["POST", `/dashboard/media/upload-url/${ID}/complete`],
  ["DELETE", `/dashboard/media/${ID}`],
] as const;
/** Routes that take any token of the workspace (app or dashboard): private delivery and signing. */
const ANY_TOKEN_ROUTES = [
  ["GET", PRIVATE_FILE],
  ["HEAD", PRIVATE_FILE],
  ["POST", "/media/signed-urls"],
] as const;
const ALL_ROUTES = [...DASHBOARD_ROUTES, ...ANY_TOKEN_ROUTES];

const hasBody = (method: string) => method === "POST" || method === "PUT";
const bodyOf = (method: string) => (hasBody(method) ? "{}" : null);

function b64url(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** `/files/*` and `:param` paths of the app, in the matrix's own form. */
function routeKey(method: string, path: string): string {
  const template = path
    .split("?")[0]
    ?.replace(PRIVATE_FILE, "/files/*")
    .replace(ID, ":mediaId")
    .replace(/\/parts\/1$/, "/parts/:partNumber");
  return `${method} ${template}`;
}

let badTokens: [string, (context: "app" | "dashboard") => Promise<string>, string][];

beforeAll(async () => {
  const rogue = await generateKeyPair("RS256");
  const publicKeyBytes = new TextEncoder().encode(
    JSON.stringify({ kty: TEST_PUBLIC_JWK.kty, n: TEST_PUBLIC_JWK.n, e: TEST_PUBLIC_JWK.e }),
  );
  const base = (context: "app" | "dashboard") => ({ context, role: "owner" as const });
  const issuer = `https://cognito-idp.${env.COGNITO_REGION}.amazonaws.com/${env.COGNITO_USER_POOL_ID}`;
  badTokens = [
    ["malformed", async () => "not-a-jwt", "auth.invalid_token"],
    ["garbage segments", async () => "a.b.c", "auth.invalid_token"],
    [
      "alg none",
      async (ctx) => {
        const good = await token(base(ctx));
        return `${b64url({ alg: "none", kid: TEST_PUBLIC_JWK.kid })}.${good.split(".")[1]}.`;
      },
      "auth.invalid_token",
    ],
    [
      "HS256 signed with the public key",
      async (ctx) =>
        new SignJWT({
          token_use: "access",
          client_id: "dashboard-client",
          "custom:workspace_id": WS,
          "custom:context": ctx,
          "custom:user_id": "user-1",
          "custom:role": "owner",
        })
          .setProtectedHeader({ alg: "HS256", kid: TEST_PUBLIC_JWK.kid })
          .setIssuer(issuer)
          .setExpirationTime("10m")
          .sign(publicKeyBytes),
      "auth.invalid_token",
    ],
    ["unknown kid", (ctx) => token({ ...base(ctx), key: rogue.privateKey, kid: "forged-kid" }), "auth.invalid_token"],
    ["known kid, wrong key", (ctx) => token({ ...base(ctx), key: rogue.privateKey }), "auth.invalid_token"],
    ["expired", (ctx) => token({ ...base(ctx), expiresIn: "1h ago" }), "auth.token_expired"],
    [
      "wrong issuer",
      (ctx) => token({ ...base(ctx), issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other" }),
      "auth.invalid_token",
    ],
    ["wrong token_use", (ctx) => token({ ...base(ctx), claims: { token_use: "id" } }), "auth.invalid_token"],
    ["wrong client", (ctx) => token({ ...base(ctx), claims: { client_id: "someone-else" } }), "auth.invalid_token"],
    [
      "no workspace claim",
      (ctx) => token({ ...base(ctx), claims: { "custom:workspace_id": undefined } }),
      "auth.invalid_token",
    ],
  ];
  // The rogue key must not be the published one (else "wrong key" would be a valid token).
  expect((await exportJWK(rogue.publicKey)).n).not.toBe(TEST_PUBLIC_JWK.n);
});

describe("media attack matrix: every route rejects a missing or bad token with 401 and does nothing", () => {
  it("covers every route the worker serves", () => {
    const served = new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`));
    const covered = new Set(ALL_ROUTES.map(([method, path]) => routeKey(method, path)));
    expect([...served].map((route) => route.replace(/\/$/, "")).filter((route) => !covered.has(route))).toEqual([]);
  });

  it("no token → 401 auth.missing_token with WWW-Authenticate", async () => {
    for (const [method, path] of ALL_ROUTES) {
      const res = await call(path, { method, body: bodyOf(method) });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get("www-authenticate"), `${method} ${path}`).toMatch(/^Bearer realm="questline"/);
      if (method !== "HEAD") expect(await errorCode(res), `${method} ${path}`).toBe("auth.missing_token");
    }
    expect(await coreCalls()).toEqual([]);
  });

  it("non-Bearer authorization → 401 invalid_token", async () => {
    for (const [method, path] of ALL_ROUTES) {
      const res = await call(path, { method, body: bodyOf(method), headers: { authorization: "Basic dXNlcjpwYXNz" } });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get("www-authenticate"), `${method} ${path}`).toContain('error="invalid_token"');
    }
  });

  it("each forged or invalid token → 401 with the same message on every route, nothing stored or recorded", async () => {
    await putPrivatePdf();
    const before = await listKeys();
    for (const [name, make, code] of badTokens) {
      for (const [method, path] of ALL_ROUTES) {
        const context = path.startsWith("/dashboard") ? "dashboard" : "app";
        const res = await authed(path, { method, body: bodyOf(method) }, await make(context));
        expect(res.status, `${name}: ${method} ${path}`).toBe(401);
        expect(res.headers.get("www-authenticate"), `${name}: ${method} ${path}`).toContain('error="invalid_token"');
        if (method === "HEAD") continue;
        const { error } = (await res.json()) as { error: { code: string; message: string; details?: unknown } };
        expect(error.code, `${name}: ${method} ${path}`).toBe(code);
        expect(error.details, name).toBeUndefined();
        if (code === "auth.invalid_token") expect(error.message, name).toBe("The access token is invalid");
      }
    }
    expect(await listKeys()).toEqual(before);
    expect(await coreCalls()).toEqual([]);
  });

  it("a token in the query string is refused: 401, never the bytes", async () => {
    const key = await putPrivatePdf();
    const jwt = await token({ context: "app" });
    for (const param of ["access_token", "token", "authorization", "jwt"]) {
      const file = await call(`/files/${key}?${param}=${encodeURIComponent(jwt)}`);
      expect(file.status, param).toBe(401);
      expect(await file.text()).not.toContain("secret");
      const admin = await call(`/dashboard/media/upload-url?fileName=a.png&${param}=${encodeURIComponent(jwt)}`);
      expect(admin.status, param).toBe(401);
    }
    // …and so is one in a cookie.
    const cookie = await call(`/files/${key}`, { headers: { cookie: `access_token=${jwt}; token=${jwt}` } });
    expect(cookie.status).toBe(401);
  });
});

describe("media attack matrix: valid tokens without rights get 403", () => {
  it("an app token on any admin route → 403 auth.forbidden", async () => {
    const appToken = await token({ context: "app" });
    for (const [method, path] of DASHBOARD_ROUTES) {
      const res = await authed(path, { method, body: bodyOf(method) }, appToken);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(await errorCode(res), `${method} ${path}`).toBe("auth.forbidden");
    }
    expect(await coreCalls()).toEqual([]);
  });

  it("a viewer may not use any admin route (every method writes or prepares a write) → 403", async () => {
    const viewer = await token({ role: "viewer" });
    for (const [method, path] of DASHBOARD_ROUTES) {
      const res = await authed(path, { method, body: bodyOf(method) }, viewer);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(await errorCode(res), `${method} ${path}`).toBe("auth.forbidden");
    }
    expect(await listKeys()).toEqual([]);
    expect(await coreCalls()).toEqual([]);
  });

  it("a dashboard token without a role → 403", async () => {
    const roleless = await token({ claims: { "custom:role": undefined } });
    const res = await authed("/dashboard/media/upload-url?fileName=a.png", {}, roleless);
    expect(res.status).toBe(403);
  });

  it("another workspace's tokens never get a private file's bytes, nor a signed URL for it", async () => {
    const key = await putPrivatePdf();
    for (const outsider of [
      await token({ context: "app", workspaceId: OTHER_WS }),
      await token({ role: "owner", workspaceId: OTHER_WS }),
    ]) {
      for (const method of ["GET", "HEAD"]) {
        const res = await authed(`/files/${key}`, { method }, outsider);
        expect([403, 404], method).toContain(res.status);
        expect(res.headers.get("content-length"), method).not.toBe(String("%PDF-1.7 secret".length));
        if (method === "GET") expect(await res.text()).not.toContain("secret");
      }
      const signing = await authed(
        "/media/signed-urls",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key }) },
        outsider,
      );
      expect([403, 404]).toContain(signing.status);
      expect(await signing.text()).not.toContain("sig=");
    }
    // The owner workspace's own member does read it (the matrix refuses for the right reason).
    const member = await authed(`/files/${key}`, {}, await token({ context: "app" }));
    expect(member.status).toBe(200);
    expect(await member.text()).toBe("%PDF-1.7 secret");
  });

  it("another workspace's admin cannot delete this workspace's media", async () => {
    const key = await putPrivatePdf();
    const mediaId = key.split("/")[2] ?? "";
    const outsider = await token({ role: "owner", workspaceId: OTHER_WS });
    const deleted = await authed(`/dashboard/media/${mediaId}`, { method: "DELETE" }, outsider);
    expect(deleted.status).toBe(404);
    expect(await listKeys()).toContain(key);
  });
});
