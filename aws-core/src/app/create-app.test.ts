import { errorBodySchema, newWorkspaceId, REQUEST_ID_HEADER } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { identityHeaders } from "../../test/support/identity";
import { requireUser, requireWriter } from "../http/guards";
import { readJson } from "../http/validation";
import { createApp } from "./create-app";

const probeSchema = z.strictObject({ name: z.string().min(2), nested: z.strictObject({ n: z.number() }).optional() });

function appWithProbes() {
  const app = createApp();
  // Probe routes registered after createApp(): they run behind the same middleware.
  app.post("/dashboard/probe", async (c) => c.json(await readJson(c, probeSchema)));
  app.post("/dashboard/probe/write", (c) => c.json({ role: requireWriter(c).role }));
  app.get("/app/probe/me", (c) => c.json({ userId: requireUser(c).userId }));
  app.get("/dashboard/probe/boom", () => {
    throw new Error("secret internals");
  });
  return app;
}

async function errorOf(res: Response) {
  return errorBodySchema.parse(await res.json()).error;
}

describe("createApp", () => {
  const app = appWithProbes();

  it("rejects a request without identity headers with 401 auth.missing_token", async () => {
    const res = await app.request("/dashboard/learning-paths");
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("auth.missing_token");
  });

  it("rejects malformed identity (bad workspace id) with 401", async () => {
    const res = await app.request("/dashboard/learning-paths", {
      headers: { ...identityHeaders(), "x-ql-workspace-id": "../other" },
    });
    expect(res.status).toBe(401);
  });

  it("echoes x-request-id and puts it in error bodies", async () => {
    const res = await app.request("/dashboard/nothing-here", {
      headers: { ...identityHeaders(), [REQUEST_ID_HEADER]: "req-123" },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get(REQUEST_ID_HEADER)).toBe("req-123");
    expect(await errorOf(res)).toMatchObject({ code: "resource.not_found", requestId: "req-123" });
  });

  it("generates a request id when none is sent", async () => {
    const res = await app.request("/dashboard/nothing-here", { headers: identityHeaders() });
    const id = res.headers.get(REQUEST_ID_HEADER);
    expect(id).toBeTruthy();
    expect((await errorOf(res)).requestId).toBe(id);
  });

  it("enforces the token context per prefix", async () => {
    const appOnDashboard = await app.request("/dashboard/learning-paths", {
      headers: identityHeaders({ context: "app", userId: "u1" }),
    });
    expect(appOnDashboard.status).toBe(403);
    expect((await errorOf(appOnDashboard)).code).toBe("auth.forbidden");
    const dashboardOnApp = await app.request("/app/probe/me", { headers: identityHeaders() });
    expect(dashboardOnApp.status).toBe(403);
  });

  it("requireUser needs a user id on app routes", async () => {
    const m2m = await app.request("/app/probe/me", { headers: identityHeaders({ context: "app", role: undefined }) });
    expect(m2m.status).toBe(403);
    const user = await app.request("/app/probe/me", {
      headers: identityHeaders({ context: "app", role: undefined, userId: "user-1" }),
    });
    expect(await user.json()).toEqual({ userId: "user-1" });
  });

  it("requireWriter refuses a viewer and accepts an editor", async () => {
    const viewer = await app.request("/dashboard/probe/write", {
      method: "POST",
      headers: identityHeaders({ role: "viewer" }),
    });
    expect(viewer.status).toBe(403);
    expect((await errorOf(viewer)).code).toBe("auth.forbidden");
    const editor = await app.request("/dashboard/probe/write", { method: "POST", headers: identityHeaders() });
    expect(await editor.json()).toEqual({ role: "editor" });
  });

  it("answers unknown errors with a generic 500 and no internals", async () => {
    const res = await app.request("/dashboard/probe/boom", { headers: identityHeaders() });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("secret internals");
    expect(errorBodySchema.parse(JSON.parse(text)).error.code).toBe("internal.error");
  });

  describe("readJson", () => {
    const post = (body: string) =>
      app.request("/dashboard/probe", {
        method: "POST",
        headers: { ...identityHeaders({ workspaceId: newWorkspaceId() }), "content-type": "application/json" },
        body,
      });

    it("malformed JSON → 400 request.bad_json", async () => {
      const res = await post("{not json");
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe("request.bad_json");
    });

    it("unknown field → 400 request.unknown_field naming the field", async () => {
      const res = await post(JSON.stringify({ name: "ok", nested: { n: 1, sneaky: true } }));
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe("request.unknown_field");
      expect(error.details).toContainEqual({ path: "nested.sneaky", message: "unknown field" });
    });

    it("invalid value → 400 request.validation_failed with path and why", async () => {
      const res = await post(JSON.stringify({ name: "x" }));
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe("request.validation_failed");
      expect(error.details?.[0]?.path).toBe("name");
      expect(error.details?.[0]?.message).toMatch(/2/);
    });

    it("valid body passes through", async () => {
      const res = await post(JSON.stringify({ name: "okay" }));
      expect(await res.json()).toEqual({ name: "okay" });
    });
  });
});
