import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LocalAppConfig, startLocalAppConfig } from "@questline/local";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { testWorkspace } from "../../test/support/callers";
import { resetCoreConfig } from "../config";
import { defaultFlagsDocument, FLAGS_ENV, type FlagsDocument, loadFlags, resetFlags } from ".";

/**
 * The flags as a workspace sees them, read by the real Powertools AppConfigProvider (AWS SDK)
 * from the local AppConfig stand-in serving a flags file — the local stack's set-up.
 */
const IDS = { application: "questline-test", environment: "test", profile: "feature-flags" };
const STATEMENT =
  'permit (principal in Questline::Role::"editor", action in Questline::Action::"UserWrite", resource);';
const ENV_KEYS = [...Object.values(FLAGS_ENV), "FLAGS_MAX_AGE_SECONDS"];

let dir: string;
let file: string;
let appconfig: LocalAppConfig;
let savedEnv: Record<string, string | undefined>;

function deploy(document: unknown) {
  writeFileSync(file, typeof document === "string" ? document : JSON.stringify(document));
}
function policies(setting: Partial<FlagsDocument["flags"][string]>): FlagsDocument {
  return { flags: { "workspace-policies": { enabled: true, rolloutPercent: 100, allow: [], deny: [], ...setting } } };
}
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ql-flags-"));
  file = join(dir, "flags.json");
  deploy(defaultFlagsDocument());
  appconfig = await startLocalAppConfig({ file, ...IDS });
  savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
});
beforeEach(() => {
  Object.assign(process.env, {
    [FLAGS_ENV.application]: IDS.application,
    [FLAGS_ENV.environment]: IDS.environment,
    [FLAGS_ENV.profile]: IDS.profile,
    [FLAGS_ENV.endpoint]: appconfig.endpoint,
    // Every request polls: the tests change the file between requests.
    FLAGS_MAX_AGE_SECONDS: "0",
  });
  deploy(defaultFlagsDocument());
});
afterEach(() => {
  vi.useRealTimers();
  resetFlags();
  resetCoreConfig();
  appconfig.calls.length = 0;
});
afterAll(async () => {
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await appconfig.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("feature flags through the API (Powertools AppConfigProvider → local AppConfig)", () => {
  it("answers every flag for the caller's workspace on GET /app/flags and GET /dashboard/flags", async () => {
    const ws = testWorkspace();
    const calls = [
      [ws.viewer, "/dashboard/flags"],
      [ws.asUser("u-1"), "/app/flags"],
    ] as const;
    for (const [who, path] of calls) {
      const res = await who.request("GET", path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control")).toBe("private, max-age=0");
      expect(await res.json()).toEqual({
        workspaceId: ws.workspaceId,
        flags: { "workspace-policies": true },
        maxAgeSeconds: 0,
      });
    }
    expect(appconfig.calls[0]?.operation).toBe("StartConfigurationSession");
    expect(appconfig.calls.filter((c) => c.operation === "StartConfigurationSession")).toHaveLength(1);
  });

  it("with workspace-policies off for one workspace, it cannot add policies (403 feature.disabled); others can", async () => {
    const off = testWorkspace();
    const on = testWorkspace();
    deploy(policies({ deny: [off.workspaceId] }));

    const refused = await off.admin.request("POST", "/dashboard/authorization/policies", { statement: STATEMENT });
    expect(refused.status).toBe(403);
    expect(await code(refused)).toBe("feature.disabled");
    const listed = await off.admin.json<{ items: unknown[] }>(
      "GET",
      "/dashboard/authorization/policies",
      undefined,
      200,
    );
    expect(listed.items).toEqual([]);
    expect((await off.admin.json<{ flags: unknown }>("GET", "/dashboard/flags", undefined, 200)).flags).toEqual({
      "workspace-policies": false,
    });

    await on.admin.json("POST", "/dashboard/authorization/policies", { statement: STATEMENT }, 201);
    expect((await on.admin.json<{ flags: unknown }>("GET", "/dashboard/flags", undefined, 200)).flags).toEqual({
      "workspace-policies": true,
    });
  });

  it("rolls back at once for every workspace (enabled: false), keeping saved policies in force and editable", async () => {
    const ws = testWorkspace();
    const saved = await ws.admin.json<{ policyId: string }>(
      "POST",
      "/dashboard/authorization/policies",
      { statement: STATEMENT },
      201,
    );
    deploy(policies({ enabled: false, allow: [ws.workspaceId] }));
    const refused = await ws.admin.request("POST", "/dashboard/authorization/policies", { statement: STATEMENT });
    expect(refused.status).toBe(403);
    expect(await code(refused)).toBe("feature.disabled");
    // The saved policy still grants editors user writes, and can be replaced or removed.
    expect((await ws.editor.request("POST", "/dashboard/users", {})).status).toBe(201);
    await ws.admin.json("PUT", `/dashboard/authorization/policies/${saved.policyId}`, { statement: STATEMENT }, 200);
    await ws.admin.json("DELETE", `/dashboard/authorization/policies/${saved.policyId}`, undefined, 204);

    deploy(policies({ enabled: true, rolloutPercent: 100 }));
    await ws.admin.json("POST", "/dashboard/authorization/policies", { statement: STATEMENT }, 201);
  });

  it("turns the flag on for the allow list only at 0 %", async () => {
    const pilot = testWorkspace();
    const other = testWorkspace();
    deploy(policies({ rolloutPercent: 0, allow: [pilot.workspaceId] }));
    await pilot.admin.json("POST", "/dashboard/authorization/policies", { statement: STATEMENT }, 201);
    const refused = await other.admin.request("POST", "/dashboard/authorization/policies", { statement: STATEMENT });
    expect(await code(refused)).toBe("feature.disabled");
  });
});

describe("feature flags: caching and bad documents", () => {
  it("polls AppConfig once per flags/max-age-seconds; a change arrives after that (empty bodies in between)", async () => {
    process.env.FLAGS_MAX_AGE_SECONDS = "30";
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-08T00:00:00Z") });
    const ws = "ws-cache";
    expect((await loadFlags()).isEnabled("workspace-policies", ws)).toBe(true);
    deploy(policies({ enabled: false }));
    vi.setSystemTime(new Date(Date.now() + 29_000));
    expect((await loadFlags()).isEnabled("workspace-policies", ws)).toBe(true);
    expect(appconfig.calls.filter((c) => c.operation === "GetLatestConfiguration")).toHaveLength(1);
    vi.setSystemTime(new Date(Date.now() + 2_000));
    expect((await loadFlags()).isEnabled("workspace-policies", ws)).toBe(false);
    // Unchanged afterwards: AppConfig answers an empty body and the provider keeps the document.
    vi.setSystemTime(new Date(Date.now() + 31_000));
    expect((await loadFlags()).isEnabled("workspace-policies", ws)).toBe(false);
    expect(appconfig.calls.map((c) => c.served ?? c.operation)).toEqual([
      "StartConfigurationSession",
      "content",
      "content",
      "unchanged",
    ]);
  });

  it("shares one AppConfig read among concurrent requests (a token is good for one call)", async () => {
    const all = await Promise.all(Array.from({ length: 5 }, () => loadFlags()));
    expect(new Set(all).size).toBe(1);
    expect(appconfig.calls.map((c) => c.served ?? c.operation)).toEqual(["StartConfigurationSession", "content"]);
    const again = await Promise.all(Array.from({ length: 3 }, () => loadFlags()));
    expect(again.every((flags) => flags.isEnabled("workspace-policies", "ws-1"))).toBe(true);
    expect(appconfig.calls.map((c) => c.served ?? c.operation)).toEqual([
      "StartConfigurationSession",
      "content",
      "unchanged",
    ]);
  });

  it("keeps the last good document when a deployment is invalid or AppConfig is unreachable", async () => {
    deploy(policies({ deny: ["ws-x"] }));
    expect((await loadFlags()).isEnabled("workspace-policies", "ws-x")).toBe(false);
    deploy({ flags: { "workspace-policies": { enabled: "no" } } });
    expect((await loadFlags()).isEnabled("workspace-policies", "ws-x")).toBe(false);
    deploy("{ not json");
    expect((await loadFlags()).isEnabled("workspace-policies", "ws-x")).toBe(false);
    process.env[FLAGS_ENV.endpoint] = "http://127.0.0.1:9";
    resetFlags();
    // Nothing good read yet from this endpoint: the catalog defaults.
    expect((await loadFlags()).isEnabled("workspace-policies", "ws-x")).toBe(true);
  });

  it("is the catalog defaults without an AppConfig application (unit tests, no network)", async () => {
    delete process.env[FLAGS_ENV.application];
    expect((await loadFlags()).document).toEqual(defaultFlagsDocument());
    expect(appconfig.calls).toHaveLength(0);
  });
});
