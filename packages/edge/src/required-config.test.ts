import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { errorHandler } from "./error-handler";
import { requiredConfiguration } from "./required-config";

type Bindings = { SECRET_A?: string; SECRET_B?: string };

function app() {
  const app = new Hono<{ Bindings: Bindings }>();
  app.onError(errorHandler);
  app.use(requiredConfiguration(["SECRET_A", "SECRET_B"]));
  app.get("/", (c) => c.json({ ok: true }));
  return app;
}

afterEach(() => vi.restoreAllMocks());

describe("requiredConfiguration", () => {
  it("answers 500 internal.misconfigured naming the missing bindings, never a value, and logs them", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await app().request("/", {}, { SECRET_A: "value-of-a", SECRET_B: " " });
    expect(res.status).toBe(500);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("internal.misconfigured");
    expect(error.message).toContain("SECRET_B");
    expect(error.message).not.toContain("SECRET_A");
    expect(error.message).not.toContain("value-of-a");
    const line = JSON.parse(String(logged.mock.calls[0]?.[0])) as { code: string; reason: string };
    expect(line).toMatchObject({ code: "internal.misconfigured", reason: "missing bindings: SECRET_B" });
  });

  it("names every missing binding", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await app().request("/", {}, {});
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/SECRET_A, SECRET_B$/);
  });

  it("lets the request through when every binding is set", async () => {
    const res = await app().request("/", {}, { SECRET_A: "a", SECRET_B: "b" });
    expect(res.status).toBe(200);
  });

  it("keeps its verdict per environment object", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const instance = app();
    const env: Bindings = { SECRET_A: "a", SECRET_B: "b" };
    expect((await instance.request("/", {}, env)).status).toBe(200);
    env.SECRET_B = "";
    expect((await instance.request("/", {}, env)).status).toBe(200);
    expect((await instance.request("/", {}, { SECRET_A: "a" })).status).toBe(500);
  });
});
