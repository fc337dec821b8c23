import { describe, expect, it } from "vitest";
import openApiDocument from "../../../docs/openapi.json";
import { appToken, call, control, dashboardToken } from "./support/helpers";

const HTML_HEADERS = {
  "content-security-policy":
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/** #14 item 5: a browser must never sniff an api answer into something it would run. */
describe("every api answer says X-Content-Type-Options: nosniff", () => {
  it("edge-owned JSON, errors, 404s and answers forwarded from the core", async () => {
    const before = (await control("/state")).coreCalls;
    const answers = {
      health: await call("/health"),
      whoami: await call("/app/whoami", { token: await appToken() }),
      unauthenticated: await call("/app/whoami"),
      unknownPath: await call("/nowhere"),
      forwarded: await call("/dashboard/missions", { token: await dashboardToken() }),
      forwardedText: await call("/dashboard/missions/__fail/text", { token: await dashboardToken() }),
      document: await call("/openapi.json"),
    };
    expect(answers.health.status).toBe(200);
    expect(answers.whoami.status).toBe(200);
    expect(answers.unauthenticated.status).toBe(401);
    expect(answers.unknownPath.status).toBe(404);
    expect(answers.document.status).toBe(200);
    expect((await control("/state")).coreCalls, "the forwarded requests reached the core").toBeGreaterThan(before + 1);
    for (const [name, res] of Object.entries(answers)) {
      expect(res.headers.get("x-content-type-options"), name).toBe("nosniff");
      // The HTML-only headers stay off answers no browser renders as a page.
      expect(res.headers.get("content-security-policy"), name).toBeNull();
      await res.body?.cancel();
    }
  });
});

describe("the reference page at /docs", () => {
  it("is HTML under the strict CSP, never framed, no Referer, nosniff", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    for (const [name, value] of Object.entries(HTML_HEADERS)) expect(res.headers.get(name), name).toBe(value);
    await res.body?.cancel();
  });

  it("loads nothing but its same-origin stylesheet and icon, runs no script, and lists every operation of the document", async () => {
    const html = await (await call("/docs")).text();
    expect(html).not.toMatch(/<script|<iframe|<object|<embed|\son[a-z]+=|style="/i);
    const loaded = [...html.matchAll(/<(?:link|img)\b[^>]*\b(?:href|src)="([^"]+)"/g)].map((m) => m[1]);
    expect(loaded).toEqual(["/docs.css", "/docs.svg"]);
    expect(html).toContain("<title>Questline API reference</title>");
    const operations = Object.values(openApiDocument.paths).flatMap((item) =>
      Object.values(item as Record<string, { operationId?: string }>).filter((op) => op.operationId),
    );
    expect(operations.length).toBeGreaterThan(20);
    // The anchor is the operation id with anything but [A-Za-z0-9_-] as "-" (ids such as app/activityLogs/list).
    for (const op of operations) {
      expect(html, op.operationId).toContain(`id="op-${op.operationId?.replace(/[^A-Za-z0-9_-]+/g, "-")}"`);
    }
  });

  it("serves its stylesheet as text/css with nosniff (so the CSP's style-src 'self' lets it in)", async () => {
    const res = await call("/docs.css");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/css/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toMatch(/\.operation[,{]/);
    const icon = await call("/docs.svg");
    expect(icon.headers.get("content-type")).toBe("image/svg+xml");
    expect(icon.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await icon.text()).toMatch(/^<svg /);
  });
});
