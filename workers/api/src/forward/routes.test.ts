import { describe, expect, it } from "vitest";
import { appToken, call, dashboardToken, m2mToken } from "../../test/support/helpers";

type Echo = { method: string; path: string; search: string; headers: Record<string, string>; body: string | null };

const validPath = {
  title: "Climate 101",
  estimatedDuration: 30,
  defaultLang: "en",
  translations: [{ lang: "en", title: "Climate 101" }],
};

describe("forwarding to the AWS core", () => {
  it("signs the request and sends the verified identity, stripping client x-ql-* headers", async () => {
    const token = await dashboardToken({ workspaceId: "wsFWD00001", role: "admin", lang: "it" });
    const res = await call("/dashboard/learning-paths?limit=5", {
      method: "POST",
      token,
      headers: {
        "content-type": "application/json",
        "x-ql-workspace-id": "wsATTACKER",
        "x-ql-role": "owner",
        "x-request-id": "req-from-client-1",
        "x-idempotency-key": "idem-1",
        cookie: "session=secret",
      },
      body: JSON.stringify(validPath),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-request-id")).toBe("req-from-client-1");
    const echo = (await res.json()) as Echo;
    expect(echo).toMatchObject({ method: "POST", path: "/dashboard/learning-paths", search: "?limit=5" });
    expect(echo.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEDGETEST\/\d{8}\/eu-west-1\/execute-api\//,
    );
    expect(echo.headers).toMatchObject({
      "x-ql-workspace-id": "wsFWD00001",
      "x-ql-role": "admin",
      "x-ql-context": "dashboard",
      "x-ql-lang": "it",
      "x-ql-client-id": "questline-local-dashboard",
      "x-request-id": "req-from-client-1",
      "x-idempotency-key": "idem-1",
    });
    expect(echo.headers.cookie).toBeUndefined();
    expect(JSON.parse(echo.body ?? "{}")).toEqual(validPath);
  });

  it("validates documented bodies at the edge and names the failing field", async () => {
    const token = await dashboardToken();
    const res = await call("/dashboard/learning-paths", {
      method: "POST",
      token,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...validPath, estimatedDuration: -1 }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('"path":"estimatedDuration"');
  });

  it("M2M delegation travels as x-ql-external-user-id; PUT gets a generated idempotency key", async () => {
    const token = await m2mToken();
    const res = await call("/app/users/me/profile", {
      method: "PUT",
      token,
      headers: { "x-external-user-id": "crm-9" },
      body: "{}",
    });
    const echo = (await res.json()) as Echo;
    expect(echo.headers["x-ql-external-user-id"]).toBe("crm-9");
    expect(echo.headers["x-ql-scopes"]).toBe("app/read app/write");
    expect(echo.headers["x-idempotency-key"]).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const post = await call("/app/activity-logs", { method: "POST", token: await appToken(), body: "{}" });
    expect(((await post.json()) as Echo).headers["x-idempotency-key"]).toBeUndefined();
  });

  it("passes the core's replay markers back to the client", async () => {
    const res = await call("/app/activity-logs/__replay", {
      method: "POST",
      token: await appToken(),
      headers: { "x-idempotency-key": "again-1" },
      body: "{}",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-idempotent-replay")).toBe("true");
    expect(res.headers.get("x-activity-log-replayed")).toBe("true");
  });

  it("passes core 4xx through unchanged", async () => {
    const res = await call("/app/things/__fail/404", { token: await appToken() });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: "resource.not_found", message: "Not found", requestId: "core" },
    });
  });

  it("maps core 5xx and unreachable core to 503 with Retry-After, timeouts to 504", async () => {
    const token = await appToken();
    for (const path of ["/app/x/__fail/500", "/app/x/__fail/unreachable"]) {
      const res = await call(path, { token });
      expect(res.status, path).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      const body = (await res.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe("upstream.unavailable");
      expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
    }
    const slow = await call("/app/x/__fail/slow", { token });
    expect(slow.status).toBe(504);
    expect(slow.headers.get("retry-after")).toBe("5");
  });
});
