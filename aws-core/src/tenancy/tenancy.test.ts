import { newAccountId, newWorkspaceId } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import {
  ensureUser,
  ensureWorkspace,
  getAccount,
  getUser,
  getUserByExternalId,
  getWorkspace,
  listWorkspaceIds,
} from "./index";

describe("tenancy records", () => {
  it("creates an account and a workspace once and never overwrites them", async () => {
    const workspaceId = newWorkspaceId();
    const accountId = newAccountId();
    const first = await ensureWorkspace({ workspaceId, accountId, name: "Acme dev", allowedClientIds: ["c1"] });
    const second = await ensureWorkspace({ workspaceId, accountId, name: "Renamed", defaultLang: "it" });
    expect(second).toEqual(first);
    expect(await getWorkspace(workspaceId)).toMatchObject({
      name: "Acme dev",
      defaultLang: "en",
      allowedClientIds: ["c1"],
    });
    expect(await getAccount(accountId)).toMatchObject({ accountId, name: "Acme dev" });
  });

  it("ensures users by id and by external id without duplicating them", async () => {
    const workspaceId = newWorkspaceId();
    const admin = await ensureUser({ workspaceId, userId: "admin-1", role: "admin", context: "dashboard" });
    expect(await ensureUser({ workspaceId, userId: "admin-1", role: "viewer", context: "dashboard" })).toEqual(admin);
    expect(await getUser(workspaceId, "admin-1")).toMatchObject({ role: "admin", context: "dashboard", lang: "en" });

    const [a, b] = await Promise.all([
      ensureUser({ workspaceId, externalId: "crm-42", context: "app", timezone: "Europe/Rome", tags: ["vip"] }),
      ensureUser({ workspaceId, externalId: "crm-42", context: "app" }),
    ]);
    expect(b.userId).toBe(a.userId);
    expect(a.userId).toHaveLength(21);
    expect(await getUserByExternalId(workspaceId, "crm-42")).toMatchObject({ userId: a.userId, externalId: "crm-42" });
    expect(await getUserByExternalId(newWorkspaceId(), "crm-42")).toBeNull();
    expect(await getUser(newWorkspaceId(), "admin-1")).toBeNull();
  });
});

describe("workspace directory (platform sweeps)", () => {
  it("lists every ensured workspace, each once, without a workspace id in the request", async () => {
    const created = [newWorkspaceId(), newWorkspaceId(), newWorkspaceId()];
    for (const workspaceId of created) {
      await ensureWorkspace({ workspaceId, accountId: newAccountId(), name: `dir ${workspaceId}` });
    }
    await ensureWorkspace({ workspaceId: created[0]!, accountId: newAccountId(), name: "again" });
    const listed: string[] = [];
    for await (const id of listWorkspaceIds()) listed.push(id);
    for (const id of created) expect(listed.filter((l) => l === id)).toHaveLength(1);
  });
});
