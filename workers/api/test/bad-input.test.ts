import { JSON_BODY_MAX_BYTES } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { appToken, call, control, dashboardToken } from "./support/helpers";

type ErrorJson = { error: { code: string; message: string; requestId: string } };
const json = { "content-type": "application/json" };

/** A JSON body of exactly `bytes` bytes. */
function bodyOf(bytes: number): string {
  const prefix = '{"note":"';
  return `${prefix}${"x".repeat(bytes - prefix.length - 2)}"}`;
}

/** A body stream without a declared length (chunked), `bytes` long in 16 KiB chunks. */
function streamOf(bytes: number): ReadableStream<Uint8Array> {
  const text = new TextEncoder().encode(bodyOf(bytes));
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= text.length) return controller.close();
      controller.enqueue(text.subarray(offset, offset + 16 * 1024));
      offset += 16 * 1024;
    },
  });
}

async function refused(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as ErrorJson;
  expect(body.error.code).toBe(code);
  expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
}

describe("bad input is refused at the edge, before anything is forwarded", () => {
  it("a declared Content-Length over 256 KiB is a 413 before the body is read", async () => {
    const { coreCalls } = await control("/state");
    const token = await appToken();
    // The declared length alone decides: the stream behind it is never read (it would never end).
    const never = new ReadableStream({ pull() {} });
    const res = await call("/app/activity-logs", {
      method: "POST",
      token,
      headers: { ...json, "content-length": String(JSON_BODY_MAX_BYTES + 1) },
      body: never,
      duplex: "half",
    } as RequestInit);
    await refused(res, 413, "request.too_large");
    // The same on a documented (validated) route and on a dashboard route.
    const documented = await call("/dashboard/learning-paths", {
      method: "POST",
      token: await dashboardToken(),
      headers: json,
      body: bodyOf(JSON_BODY_MAX_BYTES + 1),
    });
    await refused(documented, 413, "request.too_large");
    expect((await control("/state")).coreCalls, "an oversized body reached the core").toBe(coreCalls);
  });

  it("a body without a length is refused as soon as it passes the limit", async () => {
    const { coreCalls } = await control("/state");
    const res = await call("/app/activity-logs", {
      method: "PUT",
      token: await appToken(),
      headers: json,
      body: streamOf(JSON_BODY_MAX_BYTES + 1),
      duplex: "half",
    } as RequestInit);
    await refused(res, 413, "request.too_large");
    expect((await control("/state")).coreCalls).toBe(coreCalls);
  });

  it("a body of exactly the limit is forwarded, with or without a declared length", async () => {
    const token = await appToken();
    const declared = await call("/app/activity-logs", {
      method: "POST",
      token,
      headers: json,
      body: bodyOf(JSON_BODY_MAX_BYTES),
    });
    expect(declared.status).toBe(201);
    expect(((await declared.json()) as { body: string }).body).toHaveLength(JSON_BODY_MAX_BYTES);
    const streamed = await call("/app/activity-logs", {
      method: "POST",
      token,
      headers: json,
      body: streamOf(JSON_BODY_MAX_BYTES),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(201);
    expect(((await streamed.json()) as { body: string }).body).toHaveLength(JSON_BODY_MAX_BYTES);
  });

  it("a non-JSON content type on a JSON route is a 415, whatever the body", async () => {
    const { coreCalls } = await control("/state");
    const app = await appToken();
    const dashboard = await dashboardToken();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
      const headers = type ? { "content-type": type } : undefined;
      // A string body gets text/plain from fetch itself; an ArrayBuffer gets no type at all.
      const body: BodyInit = type ? '{"activityId":"a"}' : new TextEncoder().encode('{"activityId":"a"}');
      await refused(
        await call("/app/activity-logs", { method: "POST", token: app, headers, body }),
        415,
        "request.unsupported_media_type",
      );
      await refused(
        await call("/dashboard/learning-paths", { method: "POST", token: dashboard, headers, body }),
        415,
        "request.unsupported_media_type",
      );
    }
    expect((await control("/state")).coreCalls, "a non-JSON body reached the core").toBe(coreCalls);
  });

  it("JSON with parameters, +json types and bodiless writes pass", async () => {
    const token = await appToken();
    for (const type of ["application/json; charset=utf-8", "application/merge-patch+json", "APPLICATION/JSON"]) {
      const res = await call("/app/users/me", {
        method: "PATCH",
        token,
        headers: { "content-type": type },
        body: "{}",
      });
      expect(res.status, type).toBe(200);
    }
    // A publish has no body, hence no content type to check.
    const publish = await call("/dashboard/learning-paths/lp1/publish", {
      method: "POST",
      token: await dashboardToken(),
    });
    expect(publish.status).toBe(201);
  });
});
