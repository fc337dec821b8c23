import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contractFetch } from "@questline/contract-testing/suite";
import { newWorkspaceId } from "@questline/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLAGS_FILE, startStack } from "../scripts/lib/stack";
import { pollUntil } from "./poll";
import { stackLog } from "./stack-log";

type Stack = Awaited<ReturnType<typeof startStack>>;
const checkedFetch = contractFetch(fetch, { audit: process.env.CONTRACT_AUDIT === "1" });
const STATEMENT =
  'permit (principal in Questline::Role::"editor", action in Questline::Action::"UserWrite", resource);';

/**
 * Feature flags on the whole local stack: the flags file under the state dir is served by the
 * AppConfig stand-in, read by the core's Powertools AppConfigProvider, answered through the
 * edge (GET /dashboard/flags) and enforced on POST /dashboard/authorization/policies.
 */
describe("feature flags end to end (.local/flags.json → AppConfig stand-in → core → edge)", () => {
  let stack: Stack;
  let stateDir: string;
  const saved = process.env.FLAGS_MAX_AGE_SECONDS;
  const log = stackLog(join(import.meta.dirname, "..", ".local", "e2e-stack.log"));

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "questline-e2e-flags-"));
    // The core (and so the edge) reuse the flags for 1 s.
    process.env.FLAGS_MAX_AGE_SECONDS = "1";
    try {
      stack = await startStack({ stateDir, quiet: true, onLog: log.write, seed: false });
    } catch (err) {
      throw new Error(`the local stack did not start (its output: ${log.file})`, { cause: err });
    }
  });
  afterAll(async () => {
    await stack?.stop();
    if (saved === undefined) delete process.env.FLAGS_MAX_AGE_SECONDS;
    else process.env.FLAGS_MAX_AGE_SECONDS = saved;
    rmSync(stateDir, { recursive: true, force: true });
  });

  const api = (path: string, token: string, init: RequestInit = {}) =>
    checkedFetch(`${stack.urls.api}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.body ? { "content-type": "application/json" } : {}) },
    });
  const flagsOf = async (token: string) =>
    ((await (await api("/dashboard/flags", token)).json()) as { flags: Record<string, boolean> }).flags;

  it("turns workspace-policies off for one workspace by editing the flags file; the other is unaffected", async () => {
    const off = newWorkspaceId();
    const on = newWorkspaceId();
    const offAdmin = await stack.mintToken({ context: "dashboard", role: "admin", workspaceId: off });
    const onAdmin = await stack.mintToken({ context: "dashboard", role: "admin", workspaceId: on });
    expect(await flagsOf(offAdmin)).toEqual({ "workspace-policies": true });

    writeFileSync(
      join(stateDir, FLAGS_FILE),
      JSON.stringify({ flags: { "workspace-policies": { enabled: true, rolloutPercent: 100, deny: [off] } } }),
    );
    await pollUntil("the flag to turn off for the workspace", async () =>
      (await flagsOf(offAdmin))["workspace-policies"] === false ? true : undefined,
    );

    const refused = await api("/dashboard/authorization/policies", offAdmin, {
      method: "POST",
      body: JSON.stringify({ statement: STATEMENT }),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("feature.disabled");

    expect(await flagsOf(onAdmin)).toEqual({ "workspace-policies": true });
    const created = await api("/dashboard/authorization/policies", onAdmin, {
      method: "POST",
      body: JSON.stringify({ statement: STATEMENT }),
    });
    expect(created.status).toBe(201);
  });
});
