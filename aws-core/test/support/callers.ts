import { type Identity, identityToHeaders, newWorkspaceId } from "@questline/contracts";
import type { Hono } from "hono";
import { createApp } from "../../src/app/create-app";
import type { CoreEnv } from "../../src/http/env";
import { contractRequest } from "./contract";
import { TEST_ACCOUNT_ID } from "./identity";

/** Test support: a fresh workspace, dashboard/app callers, and one-call setup of published configuration. */
const defaultApp = createApp();

export interface Caller {
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  json<T = Record<string, unknown>>(method: string, path: string, body?: unknown, expected?: number): Promise<T>;
}

export function caller(
  identity: Partial<Identity> & { workspaceId: string; context: Identity["context"] },
  app: Hono<CoreEnv> = defaultApp,
): Caller {
  const base = identityToHeaders({ scopes: [], accountId: TEST_ACCOUNT_ID, ...identity } as Identity);
  const checked = contractRequest(app);
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    await checked(path, {
      method,
      headers: { ...base, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
  return {
    request,
    async json<T>(method: string, path: string, body?: unknown, expected?: number) {
      const res = await request(method, path, body);
      const text = await res.text();
      if (expected !== undefined && res.status !== expected) {
        throw new Error(`${method} ${path}: expected ${expected}, got ${res.status}: ${text}`);
      }
      return (text ? JSON.parse(text) : null) as T;
    },
  };
}

/** A fresh workspace with its callers; `app` defaults to `createApp()` (one per test process). */
export function testWorkspace(options: { app?: Hono<CoreEnv> } = {}) {
  const app = options.app ?? defaultApp;
  const workspaceId = newWorkspaceId();
  const admin = caller({ workspaceId, context: "dashboard", role: "admin", userId: "admin-1" }, app);
  const editor = caller({ workspaceId, context: "dashboard", role: "editor", userId: "editor-1" }, app);
  const viewer = caller({ workspaceId, context: "dashboard", role: "viewer" }, app);
  const asUser = (userId: string) => caller({ workspaceId, context: "app", userId }, app);
  return { workspaceId, admin, editor, viewer, asUser };
}

const en = (label: string) => ({ defaultLang: "en", translations: [{ lang: "en", label }] });

/** Creates and publishes a configuration; returns its id. */
export async function published(
  admin: Caller,
  path: string,
  body: Record<string, unknown>,
  idField: string,
): Promise<string> {
  const created = await admin.json<Record<string, string>>("POST", `/dashboard/${path}`, body, 201);
  const id = created[idField]!;
  await admin.json("POST", `/dashboard/${path}/${id}/publish`, undefined, 200);
  return id;
}

export async function activity(admin: Caller, name = "run", tags: string[] = []) {
  return published(admin, "activities", { name, tags, ...en(name) }, "activityId");
}

export async function currency(admin: Caller, limits: { minAllowedBalance?: number; maxAllowedBalance?: number } = {}) {
  return published(admin, "virtual-currencies", { name: "coins", ...limits, ...en("Coins") }, "virtualCurrencyId");
}

export async function badge(admin: Caller) {
  return published(
    admin,
    "badge-configurations",
    { name: "finisher", image: "media-1", ...en("Finisher") },
    "badgeConfigurationId",
  );
}

export async function rewardRule(admin: Caller, body: Record<string, unknown>) {
  return published(
    admin,
    "reward-rules",
    { name: "rule", matchCondition: null, ...en("Rule"), ...body },
    "rewardRuleId",
  );
}

/** A published INDIVIDUAL configuration (target `target`, +event.value per log) and a PERMANENT rule. */
export async function missionSetup(
  admin: Caller,
  activityId: string,
  options: { target?: number; mode?: "LAZY" | "EVENT"; configBody?: Record<string, unknown> } = {},
) {
  const missionConfigurationId = await published(
    admin,
    "mission-configurations",
    {
      name: "runner",
      missionType: "INDIVIDUAL",
      matchType: "INSTANCE",
      matchEntity: "Activity",
      matchEntityId: activityId,
      matchCondition: null,
      incrementExpression: { var: "event.value" },
      targetAmountExpression: options.target ?? 10,
      ...en("Runner"),
      ...options.configBody,
    },
    "missionConfigurationId",
  );
  const mode = options.mode ?? "EVENT";
  const missionRuleId = await published(
    admin,
    "mission-rules",
    {
      name: "everyone",
      missionType: "INDIVIDUAL",
      missionConfigurationsPool: [missionConfigurationId],
      timeframeType: "PERMANENT",
      timeframeTimezoneType: "FIXED",
      timeframeTimezone: "UTC",
      timeframeStartsAt: "2020-01-01T00:00:00Z",
      assignmentMode: mode,
      ...(mode === "EVENT"
        ? { eventMatchType: "INSTANCE", eventMatchEntity: "Activity", eventMatchEntityId: activityId }
        : {}),
      ...en("Everyone"),
    },
    "missionRuleId",
  );
  return { missionConfigurationId, missionRuleId };
}

export async function user(admin: Caller, body: Record<string, unknown> = {}): Promise<string> {
  const created = await admin.json<{ userId: string }>("POST", "/dashboard/users", body, 201);
  return created.userId;
}
