import { CLAIM, newAccountId, newId, newWorkspaceId } from "@questline/contracts";
import type { PreTokenGenerationAuthenticationV2TriggerEvent, PreTokenGenerationV3TriggerEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { handler } from "../handlers/pre-token";
import { ensureUser, ensureWorkspace } from "../tenancy";
import { registerAppClient } from "./app-clients";

function userEvent(
  clientId: string,
  attributes: Record<string, string>,
): PreTokenGenerationAuthenticationV2TriggerEvent {
  return {
    version: "2",
    region: "eu-west-1",
    userPoolId: "eu-west-1_TestPool",
    triggerSource: "TokenGeneration_Authentication",
    userName: "someone",
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
    request: {
      userAttributes: attributes,
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] },
      scopes: [],
    },
    response: { claimsAndScopeOverrideDetails: {} },
  } as unknown as PreTokenGenerationAuthenticationV2TriggerEvent;
}

function m2mEvent(clientId: string): PreTokenGenerationV3TriggerEvent {
  return {
    version: "3",
    region: "eu-west-1",
    userPoolId: "eu-west-1_TestPool",
    triggerSource: "TokenGeneration_ClientCredentials",
    userName: clientId,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
    request: { userAttributes: {}, groupConfiguration: {}, scopes: ["app/read", "app/write"] },
    response: { claimsAndScopeOverrideDetails: {} },
  };
}

async function workspaceWithAdmin() {
  const workspaceId = newWorkspaceId();
  const workspace = await ensureWorkspace({ workspaceId, accountId: newAccountId(), name: "Acme prod" });
  const userId = newId();
  await ensureUser({ workspaceId, userId, role: "editor", context: "dashboard" });
  const clientId = `dash-${newId()}`;
  await registerAppClient({ workspaceId, clientId, context: "dashboard", scopes: [] });
  return { workspaceId, accountId: workspace.accountId, userId, clientId };
}

describe("pre-token-generation trigger (DynamoDB Local)", () => {
  it("adds workspace, account, user, role and context from the user record", async () => {
    const ws = await workspaceWithAdmin();
    const out = await handler(
      userEvent(ws.clientId, { [CLAIM.workspaceId]: ws.workspaceId, [CLAIM.userId]: ws.userId }),
    );
    expect(out.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride).toEqual({
      [CLAIM.workspaceId]: ws.workspaceId,
      [CLAIM.accountId]: ws.accountId,
      [CLAIM.userId]: ws.userId,
      [CLAIM.role]: "editor",
      [CLAIM.context]: "dashboard",
      [CLAIM.lang]: "en",
    });
  });

  it("gives a client-credentials token its client's workspace and no user", async () => {
    const workspaceId = newWorkspaceId();
    await ensureWorkspace({ workspaceId, accountId: newAccountId(), name: "M2M" });
    const clientId = `m2m-${newId()}`;
    await registerAppClient({ workspaceId, clientId, context: "app", scopes: ["app/read", "app/write"] });
    const out = await handler(m2mEvent(clientId));
    const claims = out.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride;
    expect(claims?.[CLAIM.workspaceId]).toBe(workspaceId);
    expect(claims?.[CLAIM.context]).toBe("app");
    expect(claims?.[CLAIM.userId]).toBeUndefined();
  });

  it("denies an unregistered M2M client, an unprovisioned user and a client of another workspace", async () => {
    await expect(handler(m2mEvent(`unknown-${newId()}`))).rejects.toThrow(/not registered/);

    const ws = await workspaceWithAdmin();
    await expect(
      handler(userEvent(ws.clientId, { [CLAIM.workspaceId]: ws.workspaceId, [CLAIM.userId]: newId() })),
    ).rejects.toThrow(/not provisioned/);

    const other = await workspaceWithAdmin();
    await expect(
      handler(userEvent(other.clientId, { [CLAIM.workspaceId]: ws.workspaceId, [CLAIM.userId]: ws.userId })),
    ).rejects.toThrow(/another workspace/);
    await expect(handler(userEvent(ws.clientId, {}))).rejects.toThrow(/no workspace/);
  });
});
