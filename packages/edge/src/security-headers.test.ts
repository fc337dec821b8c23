import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { errorHandler, notFoundHandler } from "./error-handler";
import { HTML_SECURITY_HEADERS, securityHeaders } from "./security-headers";

function app() {
  const app = new Hono();
  app.onError(errorHandler);
  app.notFound(notFoundHandler);
  app.use(securityHeaders());
  app.get("/json", (c) => c.json({ ok: true }));
  app.get("/html", (c) => c.html("<!doctype html><title>t</title>"));
  app.get("/own-csp", (c) => c.html("<p>x</p>", 200, { "content-security-policy": "sandbox" }));
  app.get("/boom", () => {
    throw new Error("boom");
  });
  // An answer whose headers are immutable, like one fetched from the core.
  app.get("/immutable", () => Response.redirect("https://example.com/elsewhere", 302));
  return app;
}

describe("securityHeaders", () => {
  it("says nosniff on JSON, errors, 404s and immutable answers, and nothing HTML-only on them", async () => {
    for (const path of ["/json", "/boom", "/nowhere", "/immutable"]) {
      const res = await app().request(path);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("content-security-policy"), path).toBeNull();
      expect(res.headers.get("x-frame-options"), path).toBeNull();
    }
  });

  it("gives HTML the strict CSP, no-referrer and DENY framing", async () => {
    const res = await app().request("/html");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) expect(res.headers.get(name), name).toBe(value);
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it("keeps a CSP the route set itself", async () => {
    const res = await app().request("/own-csp");
    expect(res.headers.get("content-security-policy")).toBe("sandbox");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  });
});
