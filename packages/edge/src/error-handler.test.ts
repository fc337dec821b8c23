import { QuestlineError, REQUEST_ID_HEADER } from "@questline/contracts";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { afterEach, describe, expect, it, vi } from "vitest";
import { errorHandler, notFoundHandler } from "./error-handler";
import { requestId } from "./request-id";

const app = new Hono<{ Variables: { requestId: string } }>();
app.use(requestId({ log: () => {} }));
app.onError(errorHandler);
app.notFound(notFoundHandler);
app.get("/limited", () => {
  throw new QuestlineError("request.rate_limited", "Slow down", { headers: { "retry-after": "60" } });
});
app.get("/too-large", () => {
  throw new HTTPException(413);
});
app.get("/bug", () => {
  throw new Error("secret internals");
});

const call = (path: string) => app.request(path, { headers: { [REQUEST_ID_HEADER]: "req-under-test" } });

afterEach(() => vi.restoreAllMocks());

describe("errorHandler / notFoundHandler", () => {
  it("a QuestlineError keeps its code, status and headers in the shared body", async () => {
    const res = await call("/limited");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(res.headers.get(REQUEST_ID_HEADER)).toBe("req-under-test");
    expect(await res.json()).toEqual({
      error: { code: "request.rate_limited", message: "Slow down", requestId: "req-under-test" },
    });
  });

  it("Hono's HTTPException maps onto the platform's codes", async () => {
    const res = await call("/too-large");
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("request.too_large");
  });

  it("an unknown failure is logged with the request id and answered with a generic 500", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await call("/bug");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: "internal.error", message: "Internal server error", requestId: "req-under-test" },
    });
    expect(text).not.toContain("secret internals");
    const line = JSON.parse(String(logged.mock.calls[0]?.[0]));
    expect(line).toMatchObject({ msg: "request failed", requestId: "req-under-test", status: 500, path: "/bug" });
    expect(line.error).toContain("secret internals");
  });

  it("unknown routes → 404 resource.not_found with the same body shape", async () => {
    const res = await call("/nowhere");
    expect(res.status).toBe(404);
    expect(res.headers.get(REQUEST_ID_HEADER)).toBe("req-under-test");
    expect(await res.json()).toEqual({
      error: { code: "resource.not_found", message: "Not found", requestId: "req-under-test" },
    });
  });
});
