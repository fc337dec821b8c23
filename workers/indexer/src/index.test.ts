import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ORIGIN } from "../test/support/helpers";

const RAY = "8f1c2d3e4a5b6c7d-FRA";

interface ErrorBody {
  error: { code: string; message: string; requestId: string };
}

describe("request ids and errors (the shared edge handler)", () => {
  it("the request id is Cloudflare's ray id, echoed and in the error body; a client's x-request-id is not taken", async () => {
    const response = await exports.default.fetch(
      new Request(`${ORIGIN}/batches`, {
        method: "POST",
        headers: { "cf-ray": RAY, "x-request-id": "chosen-by-the-caller" },
        body: "{}",
      }),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get("x-request-id")).toBe(RAY);
    expect(await response.json<ErrorBody>()).toMatchObject({ error: { code: "auth.bad_signature", requestId: RAY } });
  });

  it("without a ray id a fresh id is minted", async () => {
    const response = await exports.default.fetch(`${ORIGIN}/health`, {
      headers: { "x-request-id": "chosen-by-the-caller" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it("unknown routes → 404 resource.not_found with the shared body", async () => {
    const response = await exports.default.fetch(`${ORIGIN}/nowhere`, { headers: { "cf-ray": RAY } });
    expect(response.status).toBe(404);
    expect(await response.json<ErrorBody>()).toEqual({
      error: { code: "resource.not_found", message: "Not found", requestId: RAY },
    });
  });
});
