import { describe, expect, it } from "vitest";
import { appToken, call, control, dashboardToken, freshWorkspace } from "../../test/support/helpers";

type Flags = { workspaceId: string; flags: Record<string, boolean>; maxAgeSeconds: number };
const coreCalls = async () => (await control("/state")).coreCalls;

describe("feature flags at the edge: one core read per workspace and cache time", () => {
  it("answers a workspace's flags from the Cache API after the first read, for app and dashboard tokens", async () => {
    const workspaceId = freshWorkspace();
    const before = await coreCalls();
    const first = await call("/app/flags", { token: await appToken({ workspaceId }) });
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("private, max-age=30");
    expect(await first.json()).toEqual({ workspaceId, flags: { "workspace-policies": true }, maxAgeSeconds: 30 });
    expect(await coreCalls()).toBe(before + 1);

    const again = [
      ["/app/flags", await appToken({ workspaceId, userId: "another-user" })],
      ["/dashboard/flags", await dashboardToken({ workspaceId })],
    ] as const;
    for (const [path, token] of again) {
      const res = await call(path, { token });
      expect(res.status, path).toBe(200);
      expect(await res.json(), path).toEqual({ workspaceId, flags: { "workspace-policies": true }, maxAgeSeconds: 30 });
    }
    expect(await coreCalls()).toBe(before + 1);
  });

  it("never answers one workspace with another's flags", async () => {
    const a = freshWorkspace();
    const b = freshWorkspace();
    await call("/app/flags", { token: await appToken({ workspaceId: a }) });
    const before = await coreCalls();
    const res = await call("/app/flags", { token: await appToken({ workspaceId: b }) });
    expect(((await res.json()) as Flags).workspaceId).toBe(b);
    expect(await coreCalls()).toBe(before + 1);
  });

  it("does not cache when the core says 0 s, nor without a valid token", async () => {
    const workspaceId = freshWorkspace();
    const token = await appToken({ workspaceId });
    const before = await coreCalls();
    for (let i = 0; i < 2; i++) {
      const res = await call("/app/flags?maxAge=0", { token });
      expect(res.headers.get("cache-control")).toBe("private, max-age=0");
    }
    expect(await coreCalls()).toBe(before + 2);
    expect((await call("/app/flags")).status).toBe(401);
    expect(await coreCalls()).toBe(before + 2);
  });
});
