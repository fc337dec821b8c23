import { beforeAll, describe, expect, it } from "vitest";
import { type DeclaredResource, declareWithMocks, ofType, single, testConfig } from "./harness.js";

let resources: DeclaredResource[];
beforeAll(async () => {
  resources = await declareWithMocks(testConfig("prod"));
});

describe("Cognito", () => {
  it("declares the app and dashboard resource servers with read/write scopes", () => {
    const scopes = ofType(resources, "aws:cognito/resourceServer:ResourceServer").flatMap((server) =>
      (server.inputs.scopes as { scopeName: string }[]).map(
        (s) => `${String(server.inputs.identifier)}/${s.scopeName}`,
      ),
    );
    expect(scopes.sort()).toEqual(["app/read", "app/write", "dashboard/read", "dashboard/write"]);
  });

  it("declares the end-user, dashboard and M2M clients with 1 h access and 30 d refresh tokens", () => {
    const clients = Object.fromEntries(
      ofType(resources, "aws:cognito/userPoolClient:UserPoolClient").map((c) => [c.name.split("-").at(-2), c.inputs]),
    );
    expect(Object.keys(clients).sort()).toEqual(["app", "dashboard", "m2m"]);
    for (const client of Object.values(clients)) {
      expect(client).toMatchObject({
        accessTokenValidity: 1,
        refreshTokenValidity: 30,
        tokenValidityUnits: { accessToken: "hours", refreshToken: "days" },
      });
    }
    expect(clients.app).toMatchObject({
      generateSecret: false,
      allowedOauthFlows: ["code"],
      allowedOauthScopes: ["openid", "email", "app/read", "app/write"],
    });
    expect(clients.dashboard?.allowedOauthScopes).toEqual(["openid", "email", "dashboard/read", "dashboard/write"]);
    expect(clients.m2m).toMatchObject({
      generateSecret: true,
      allowedOauthFlows: ["client_credentials"],
      allowedOauthScopes: ["app/read", "app/write"],
    });
  });

  it("wires the pre-token-generation trigger (V3, also for M2M) and lets Cognito invoke it", () => {
    const pool = single(resources, "aws:cognito/userPool:UserPool").inputs;
    const trigger = (pool.lambdaConfig as { preTokenGenerationConfig: { lambdaArn: string; lambdaVersion: string } })
      .preTokenGenerationConfig;
    expect(trigger.lambdaVersion).toBe("V3_0");
    expect(trigger.lambdaArn).toContain("questline-prod-eu-west-1-pre-token-live");
    const permission = single(resources, "aws:lambda/permission:Permission", "pre-token-invoke").inputs;
    expect(permission).toMatchObject({
      principal: "cognito-idp.amazonaws.com",
      function: "questline-prod-eu-west-1-pre-token",
      qualifier: "live",
    });
    expect(permission.sourceArn).toMatch(/^arn:aws:cognito-idp:eu-west-1:/);
  });
});
