import { type Identity, newWorkspaceId, ROLES, type Role } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { caller, currency, testWorkspace } from "../../test/support/callers";
import { TEST_ACCOUNT_ID } from "../../test/support/identity";
import { createApp } from "../app/create-app";
import type { ActionGroup, LeafGroup } from "./actions";
import { readsResourceState } from "./engine";
import { actionCatalogOf, CedarEngine, cedarSchema } from "./index";

const catalog = actionCatalogOf(createApp());
const engine = new CedarEngine(cedarSchema(catalog.actions));
const noExtra = { setId: "default", revision: "default", policies: [] };

function identity(context: "app" | "dashboard", role?: Role): Identity {
  return {
    accountId: TEST_ACCOUNT_ID,
    workspaceId: newWorkspaceId(),
    context,
    scopes: [],
    userId: "u-1",
    ...(role ? { role } : {}),
  };
}

/** What the default policies promise, per role and group (the README's role table). */
const ALLOWED: Record<LeafGroup, readonly (Role | "app")[]> = {
  AppRead: ["app"],
  AppWrite: ["app"],
  DashboardRead: ["owner", "admin", "editor", "viewer"],
  ContentWrite: ["owner", "admin", "editor"],
  BalanceWrite: ["owner", "admin"],
  UserWrite: ["owner", "admin"],
  PolicyAdmin: ["owner", "admin"],
  WebhookAdmin: ["owner", "admin"],
};

describe("the default policies: principal × action × resource", () => {
  it("names every route of the app as an action in one group", () => {
    const routes = new Set(
      createApp()
        .routes.filter((r) => r.method !== "ALL" && /^\/(app|dashboard)\//.test(r.path))
        .map((r) => `${r.method} ${r.path}`),
    );
    expect(catalog.actions.map((a) => `${a.method} ${a.path}`).sort()).toEqual([...routes].sort());
    const groups = new Set(catalog.actions.map((a) => a.group));
    expect([...groups].sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  const principals: (Role | "app")[] = [...ROLES, "app"];
  for (const action of catalog.actions) {
    it(`${action.id} (${action.group})`, () => {
      for (const who of principals) {
        const id = who === "app" ? identity("app") : identity("dashboard", who);
        const resource = {
          id: action.path,
          kind: action.path.split("/")[2] ?? "",
          ...(who === "app" ? { owner: "u-1" } : {}),
        };
        const decision = engine.authorize({ identity: id, action, resource }, noExtra);
        expect(decision.errors, `${who} on ${action.id}`).toEqual([]);
        expect(decision.allowed, `${who} on ${action.id}`).toBe(ALLOWED[action.group].includes(who));
      }
    });
  }

  it("refuses an app token on another user's data", () => {
    const action = catalog.actions.find((a) => a.group === "AppRead");
    if (!action) throw new Error("no app read action");
    const resource = { id: action.path, kind: "missions", owner: "someone-else" };
    expect(engine.authorize({ identity: identity("app"), action, resource }, noExtra).allowed).toBe(false);
  });

  it("lets no workspace policy lift a guardrail", () => {
    const lift = (statement: string) => ({
      setId: `t-${statement.length}`,
      revision: "1",
      policies: [{ id: "w", description: "", statement }],
    });
    const find = (group: ActionGroup) => {
      const found = catalog.actions.find((a) => a.group === group);
      if (!found) throw new Error(group);
      return found;
    };
    const everything = lift("permit (principal, action, resource);");
    const viewer = identity("dashboard", "viewer");
    const editor = identity("dashboard", "editor");
    const write = find("ContentWrite");
    const policyAdmin = find("PolicyAdmin");
    const appRead = find("AppRead");
    const resource = (path: string) => ({ id: path, kind: path.split("/")[2] ?? "" });
    expect(
      engine.authorize({ identity: viewer, action: write, resource: resource(write.path) }, everything).allowed,
    ).toBe(false);
    expect(
      engine.authorize({ identity: editor, action: policyAdmin, resource: resource(policyAdmin.path) }, everything)
        .allowed,
    ).toBe(false);
    expect(
      engine.authorize({ identity: editor, action: appRead, resource: resource(appRead.path) }, everything).allowed,
    ).toBe(false);
  });
});

const EDITORS_CREDIT =
  'permit (principal in Questline::Role::"editor", action == Questline::Action::"dashboard/virtualTransactions/create", resource);';

describe("workspace policies through the API", () => {
  async function setup() {
    const ws = testWorkspace();
    const currencyId = await currency(ws.admin);
    const user = await ws.admin.json<{ userId: string }>("POST", "/dashboard/users", {}, 201);
    const credit = {
      transactions: [
        { virtualCurrencyId: currencyId, redemptionMode: "AUTO", amount: 5, destinationUserId: user.userId },
      ],
    };
    return { ...ws, credit };
  }

  it("an editor credits balances only once the workspace allows it, and not after the policy is deleted", async () => {
    const { admin, editor, credit } = await setup();
    const denied = await editor.request("POST", "/dashboard/virtual-transactions", credit);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe("auth.forbidden");

    const policy = await admin.json<{ policyId: string; version: number; statement: string }>(
      "POST",
      "/dashboard/authorization/policies",
      { description: "editors run the points desk", statement: EDITORS_CREDIT },
      201,
    );
    expect(policy).toMatchObject({ version: 1, statement: EDITORS_CREDIT });
    expect((await editor.request("POST", "/dashboard/virtual-transactions", credit)).status).toBe(201);

    await admin.json("DELETE", `/dashboard/authorization/policies/${policy.policyId}`, undefined, 204);
    expect((await editor.request("POST", "/dashboard/virtual-transactions", credit)).status).toBe(403);
  });

  it("a forbid policy takes a right away from admins; updating it gives it back", async () => {
    const { admin, credit } = await setup();
    const forbid = 'forbid (principal, action in Questline::Action::"BalanceWrite", resource);';
    const policy = await admin.json<{ policyId: string; version: number }>(
      "POST",
      "/dashboard/authorization/policies",
      { statement: forbid },
      201,
    );
    expect((await admin.request("POST", "/dashboard/virtual-transactions", credit)).status).toBe(403);
    // The policy routes themselves stay reachable: the forbid names balance writes only.
    const updated = await admin.json<{ version: number }>(
      "PUT",
      `/dashboard/authorization/policies/${policy.policyId}`,
      { statement: forbid.replace("BalanceWrite", "UserWrite") },
      200,
    );
    expect(updated.version).toBe(2);
    expect((await admin.request("POST", "/dashboard/virtual-transactions", credit)).status).toBe(201);
    expect((await admin.request("POST", "/dashboard/users", {})).status).toBe(403);
  });

  it("a policy applies to its own workspace only", async () => {
    const a = await setup();
    const b = await setup();
    await a.admin.json("POST", "/dashboard/authorization/policies", { statement: EDITORS_CREDIT }, 201);
    expect((await a.editor.request("POST", "/dashboard/virtual-transactions", a.credit)).status).toBe(201);
    expect((await b.editor.request("POST", "/dashboard/virtual-transactions", b.credit)).status).toBe(403);
    const listed = await b.admin.json<{ items: unknown[] }>("GET", "/dashboard/authorization/policies", undefined, 200);
    expect(listed.items).toEqual([]);
  });

  it("refuses statements that are not one valid policy of the schema, saving nothing", async () => {
    const { admin } = await setup();
    const bad = [
      ["not Cedar", "allow everyone"],
      ["an unknown action", 'permit (principal, action == Questline::Action::"dashboard/nothing/here", resource);'],
      ["an unknown attribute", "permit (principal, action, resource) when { principal.salary > 10 };"],
      ["a template", "permit (?principal, action, resource);"],
      ["two policies", `${EDITORS_CREDIT}\n${EDITORS_CREDIT}`],
    ] as const;
    for (const [what, statement] of bad) {
      const res = await admin.request("POST", "/dashboard/authorization/policies", { statement });
      expect(res.status, what).toBe(400);
      const body = (await res.json()) as { error: { code: string; details?: { path: string }[] } };
      expect(body.error.code, what).toBe("authorization.invalid_policy");
      expect(body.error.details?.[0]?.path ?? "statement", what).toBe("statement");
    }
    const listed = await admin.json<{ items: unknown[] }>("GET", "/dashboard/authorization/policies", undefined, 200);
    expect(listed.items).toEqual([]);
  });

  it("lets only admins and owners see or change policies", async () => {
    const { workspaceId, editor, viewer } = await setup();
    const owner = caller({ workspaceId, context: "dashboard", role: "owner", userId: "owner-1" });
    for (const who of [editor, viewer]) {
      expect((await who.request("GET", "/dashboard/authorization/policies")).status).toBe(403);
      expect(
        (await who.request("POST", "/dashboard/authorization/policies", { statement: EDITORS_CREDIT })).status,
      ).toBe(403);
    }
    expect(
      (await owner.request("POST", "/dashboard/authorization/policies", { statement: EDITORS_CREDIT })).status,
    ).toBe(201);
    const schema = await owner.json<Record<string, { actions: Record<string, unknown> }>>(
      "GET",
      "/dashboard/authorization/schema",
      undefined,
      200,
    );
    expect(Object.keys(schema.Questline?.actions ?? {})).toContain("dashboard/virtualTransactions/create");
  });

  it("a policy may read the record's lifecycle: editors keep drafts, only admins change what is published", async () => {
    const { admin, editor } = await setup();
    const freeze =
      'forbid (principal, action in Questline::Action::"ContentWrite", resource) when { resource has state && resource.state == "PUBLISHED" } unless { principal in Questline::Role::"admin" };';
    expect(readsResourceState([{ id: "f", description: "", statement: freeze }])).toBe(true);
    expect(readsResourceState([{ id: "c", description: "", statement: EDITORS_CREDIT }])).toBe(false);
    await admin.json("POST", "/dashboard/authorization/policies", { statement: freeze }, 201);
    const body = (name: string) => ({ name, defaultLang: "en", translations: [{ lang: "en", label: name }] });
    const draft = await admin.json<{ activityId: string }>("POST", "/dashboard/activities", body("draft"), 201);
    const live = await admin.json<{ activityId: string }>("POST", "/dashboard/activities", body("live"), 201);
    await admin.json("POST", `/dashboard/activities/${live.activityId}/publish`, undefined, 200);

    expect((await editor.request("PUT", `/dashboard/activities/${draft.activityId}`, body("draft 2"))).status).toBe(
      200,
    );
    const refused = await editor.request("PUT", `/dashboard/activities/${live.activityId}`, body("live 2"));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("auth.forbidden");
    expect((await admin.request("PUT", `/dashboard/activities/${live.activityId}`, body("live 2"))).status).toBe(200);
    // Creating is not about a record: the editor still creates drafts.
    expect((await editor.request("POST", "/dashboard/activities", body("another"))).status).toBe(201);
  });
});
