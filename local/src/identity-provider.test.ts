import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLAIM, newWorkspaceId } from "@questline/contracts";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LOCAL_COGNITO,
  LocalIdentityProvider,
  type RunningIdentityProvider,
  startIdentityProvider,
} from "./identity-provider";

describe("local Cognito-shaped identity provider", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "ql-idp-"));
  let idp: RunningIdentityProvider;
  const workspaceId = newWorkspaceId();

  beforeAll(async () => {
    idp = await startIdentityProvider({
      stateDir,
      resolveTokenRequest: async (body) => ({
        claims: { workspaceId, userId: String(body.userId), context: "app" },
      }),
    });
  });
  afterAll(async () => {
    await idp.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("mints an RS256 access token that verifies against the served JWKS with Cognito's claims", async () => {
    const token = await idp.provider.mint({
      claims: {
        workspaceId,
        accountId: "QLdemoAcc1",
        userId: "user-1",
        role: "admin",
        context: "dashboard",
        lang: "it",
      },
    });
    expect(idp.jwksUrl).toBe(`${idp.url}/${LOCAL_COGNITO.userPoolId}/.well-known/jwks.json`);
    const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(idp.jwksUrl)), {
      issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_QuestLocal",
      algorithms: ["RS256"],
    });
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({
      token_use: "access",
      client_id: LOCAL_COGNITO.clients.dashboard,
      sub: "user-1",
      username: "user-1",
      scope: expect.any(String),
      [CLAIM.workspaceId]: workspaceId,
      [CLAIM.accountId]: "QLdemoAcc1",
      [CLAIM.userId]: "user-1",
      [CLAIM.role]: "admin",
      [CLAIM.context]: "dashboard",
      [CLAIM.lang]: "it",
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
  });

  it("mints M2M tokens with the app scopes and no username", async () => {
    const token = await idp.provider.mint({
      clientId: LOCAL_COGNITO.clients.m2m,
      claims: { workspaceId, context: "app" },
    });
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(idp.jwksUrl)));
    expect(payload).toMatchObject({
      client_id: "questline-local-m2m",
      sub: "questline-local-m2m",
      scope: "app/read app/write",
    });
    expect(payload.username).toBeUndefined();
  });

  it("mints over HTTP through the token-request resolver", async () => {
    const res = await fetch(`${idp.url}/local/token`, { method: "POST", body: JSON.stringify({ userId: "u-9" }) });
    expect(res.status).toBe(200);
    const { accessToken } = (await res.json()) as { accessToken: string };
    const { payload } = await jwtVerify(accessToken, createRemoteJWKSet(new URL(idp.jwksUrl)));
    expect(payload).toMatchObject({ [CLAIM.userId]: "u-9", [CLAIM.context]: "app", client_id: "questline-local-app" });
  });

  it("keeps its signing key across restarts of the same state dir", async () => {
    const before = await idp.provider.mint({ claims: { workspaceId, context: "app" } });
    const reloaded = await LocalIdentityProvider.load({ stateDir });
    expect(reloaded.jwks()).toEqual(idp.provider.jwks());
    expect(decodeProtectedHeader(before).kid).toBe(reloaded.jwks().keys[0]?.kid);
    const fresh = await LocalIdentityProvider.load();
    expect(fresh.jwks().keys[0]?.kid).not.toBe(reloaded.jwks().keys[0]?.kid);
    expect(reloaded.jwks().keys[0]).not.toHaveProperty("d");
  });
});
