import { describe, expect, it } from "vitest";
import { appToken, call, control, dashboardToken, m2mToken } from "../../test/support/helpers";

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
      headers: { "x-external-user-id": "crm-9", "content-type": "application/json" },
      body: "{}",
    });
    const echo = (await res.json()) as Echo;
    expect(echo.headers["x-ql-external-user-id"]).toBe("crm-9");
    expect(echo.headers["x-ql-scopes"]).toBe("app/read app/write");
    expect(echo.headers["x-idempotency-key"]).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const post = await call("/app/activity-logs", {
      method: "POST",
      token: await appToken(),
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(((await post.json()) as Echo).headers["x-idempotency-key"]).toBeUndefined();
  });

  it("passes the core's replay markers back to the client", async () => {
    const res = await call("/app/activity-logs/__replay", {
      method: "POST",
      token: await appToken(),
      headers: { "x-idempotency-key": "again-1", "content-type": "application/json" },
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

  type ErrorJson = { error: { code: string; message: string; requestId: string } };
  const failure = async (path: string) => {
    const res = await call(`/app/x/__fail/${path}`, { token: await appToken() });
    const body = (await res.json()) as ErrorJson;
    // Every failure keeps the shared error model and names this request.
    expect(body.error.requestId, path).toBe(res.headers.get("x-request-id"));
    return { status: res.status, retryAfter: res.headers.get("retry-after"), code: body.error.code, body };
  };

  it("a core 500 is a 500 without Retry-After (a deterministic failure invites no retry)", async () => {
    for (const path of ["500", "500-plain"]) {
      const res = await failure(path);
      expect(res, path).toMatchObject({ status: 500, retryAfter: null, code: "internal.error" });
    }
  });

  it("503 + Retry-After when the core says it is unavailable or throttled", async () => {
    // The core's own 503 keeps its message and Retry-After; a 429 (gateway throttling) passes its Retry-After on.
    const busy = await failure("503");
    expect(busy).toMatchObject({ status: 503, retryAfter: "7", code: "upstream.unavailable" });
    expect(busy.body.error.message).toBe("The wallet is busy; retry");
    expect(await failure("429")).toMatchObject({ status: 503, retryAfter: "11", code: "upstream.unavailable" });
  });

  it("a timeout (here, while reading the answer, or at the core's gateway) is a 504 with Retry-After", async () => {
    for (const path of ["slow", "slow-body", "504"]) {
      expect(await failure(path), path).toMatchObject({ status: 504, retryAfter: "5", code: "upstream.timeout" });
    }
  });

  it("an invalid answer of the core is a 502 upstream.invalid_response", async () => {
    for (const path of ["not-json", "truncated", "400-no-model", "redirect", "502"]) {
      expect(await failure(path), path).toMatchObject({
        status: 502,
        retryAfter: null,
        code: "upstream.invalid_response",
      });
    }
  });

  it("non-JSON answers the core declares as such pass through unchanged", async () => {
    const res = await call("/app/x/__fail/text", { token: await appToken() });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv");
    expect(await res.text()).toBe("a,b\n1,2\n");
  });
});

describe("media records are not written through the api worker", () => {
  it("an editor's POST/PUT/DELETE on /dashboard/media is 403 auth.forbidden and never reaches the core", async () => {
    const token = await dashboardToken({ workspaceId: "wsMEDIA001", role: "editor" });
    const before = (await control("/state")).coreCalls;
    const forged = {
      mediaId: "forgedMedia1",
      key: "wsMEDIA001/public/forgedMedia1/../../../wsOTHER001/public/x/x.png",
      fileName: "x.png",
      originalFileName: "x.png",
      contentType: "image/png",
      fileType: "image",
      visibility: "public",
      fileSize: 1,
      sha256: "a".repeat(64),
    };
    for (const [method, path] of [
      ["POST", "/dashboard/media"],
      ["PUT", "/dashboard/media"],
      ["DELETE", "/dashboard/media/forgedMedia1"],
      ["POST", "/dashboard/media/multipart"],
      ["PATCH", "/dashboard/media/forgedMedia1/complete"],
    ] as const) {
      const res = await call(path, {
        method,
        token,
        headers: { "content-type": "application/json" },
        ...(method === "DELETE" ? {} : { body: JSON.stringify(forged) }),
      });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("auth.forbidden");
    }
    expect((await control("/state")).coreCalls).toBe(before);
    // Reading media still goes to the core.
    expect((await call("/dashboard/media/forgedMedia1", { token })).status).toBe(200);
  });
});
