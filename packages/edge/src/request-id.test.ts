import { REQUEST_ID_HEADER } from "@questline/contracts";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { type RequestIdOptions, type RequestLogLine, requestId } from "./request-id";

function appWith(options: Omit<RequestIdOptions, "log"> = {}) {
  const lines: RequestLogLine[] = [];
  const app = new Hono<{ Variables: { requestId: string } }>();
  app.use(requestId({ ...options, log: (line) => lines.push(line) }));
  app.get("/seen", (c) => c.text(c.var.requestId));
  return { app, lines };
}

describe("requestId", () => {
  it("takes the caller's safe x-request-id by default, echoes it and logs one line", async () => {
    const { app, lines } = appWith();
    const res = await app.request("/seen", { headers: { [REQUEST_ID_HEADER]: "client-req-0001" } });
    expect(await res.text()).toBe("client-req-0001");
    expect(res.headers.get(REQUEST_ID_HEADER)).toBe("client-req-0001");
    expect(lines).toEqual([
      {
        msg: "request",
        requestId: "client-req-0001",
        method: "GET",
        path: "/seen",
        status: 200,
        ms: expect.any(Number),
      },
    ]);
  });

  it("mints a fresh id when the caller's id is missing or unsafe", async () => {
    const { app } = appWith();
    for (const sent of [undefined, "short", "has spaces in it", `x${"y".repeat(200)}`, 'quote"injection']) {
      const res = await app.request("/seen", { headers: sent ? { [REQUEST_ID_HEADER]: sent } : {} });
      const id = await res.text();
      expect(id, String(sent)).not.toBe(sent);
      expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(res.headers.get(REQUEST_ID_HEADER)).toBe(id);
    }
  });

  it("with `from`, reads only the listed headers in order (the indexer: cf-ray, never x-request-id)", async () => {
    const { app } = appWith({ from: ["cf-ray"] });
    const ray = await app.request("/seen", {
      headers: { "cf-ray": "8f1c2d3e4a5b6c7d-AMS", [REQUEST_ID_HEADER]: "client-req-0001" },
    });
    expect(await ray.text()).toBe("8f1c2d3e4a5b6c7d-AMS");
    const clientOnly = await app.request("/seen", { headers: { [REQUEST_ID_HEADER]: "client-req-0001" } });
    expect(await clientOnly.text()).not.toBe("client-req-0001");

    const { app: both } = appWith({ from: [REQUEST_ID_HEADER, "cf-ray"] });
    const fallback = await both.request("/seen", {
      headers: { "cf-ray": "8f1c2d3e4a5b6c7d-AMS", [REQUEST_ID_HEADER]: "bad id" },
    });
    expect(await fallback.text()).toBe("8f1c2d3e4a5b6c7d-AMS");
  });
});
