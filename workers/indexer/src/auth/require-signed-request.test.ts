import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ORIGIN, signedPost, signer, storedItem, upsert } from "../../test/support/helpers";

async function errorCode(response: Response): Promise<string> {
  return (await response.json<{ error: { code: string } }>()).error.code;
}

function amzDate(offsetMs: number): string {
  return new Date(Date.now() + offsetMs).toISOString().replace(/[:-]|\.\d{3}/g, "");
}

describe("batch signature check", () => {
  const batch = { operations: [upsert("q1", 1)] };

  it("accepts a correctly signed batch", async () => {
    expect((await signedPost("/batches", batch)).status).toBe(200);
  });

  it("rejects an unsigned request with 401", async () => {
    const response = await exports.default.fetch(
      new Request(`${ORIGIN}/batches`, { method: "POST", body: JSON.stringify(batch) }),
    );
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe("auth.bad_signature");
    expect(await storedItem("q1")).toBeNull();
  });

  it("rejects a wrong secret with 401", async () => {
    const response = await signedPost("/batches", batch, signer({ secretAccessKey: "not-the-secret" }));
    expect(response.status).toBe(401);
    expect(await storedItem("q1")).toBeNull();
  });

  it("rejects an unknown access key with 403", async () => {
    const response = await signedPost("/batches", batch, signer({ accessKeyId: "someone-else" }));
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("auth.forbidden");
  });

  it("rejects a signature scoped to another service or region with 403", async () => {
    for (const scope of [
      { service: "execute-api", region: "edge" },
      { service: "questline-indexer", region: "eu-west-1" },
    ]) {
      const request = await signer().sign(`${ORIGIN}/batches`, {
        method: "POST",
        body: JSON.stringify(batch),
        aws: scope,
      });
      expect((await exports.default.fetch(request)).status).toBe(403);
    }
  });

  it("rejects a body changed after signing with 401", async () => {
    const signed = await signer().sign(`${ORIGIN}/batches`, { method: "POST", body: JSON.stringify(batch) });
    const tampered = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: JSON.stringify({ operations: [upsert("q1", 99)] }),
    });
    const response = await exports.default.fetch(tampered);
    expect(response.status).toBe(401);
    expect(await storedItem("q1")).toBeNull();
  });

  it("rejects signatures more than 5 minutes old or ahead with 403, and accepts 4 minutes of skew", async () => {
    for (const [offset, status] of [
      [-6 * 60_000, 403],
      [6 * 60_000, 403],
      [-4 * 60_000, 200],
    ] as const) {
      const request = await signer().sign(`${ORIGIN}/batches`, {
        method: "POST",
        body: JSON.stringify(batch),
        aws: { datetime: amzDate(offset) },
      });
      expect((await exports.default.fetch(request)).status).toBe(status);
    }
  });

  it("protects /inventory the same way", async () => {
    const response = await exports.default.fetch(
      new Request(`${ORIGIN}/inventory`, { method: "POST", body: JSON.stringify({ workspaceId: "wsAAAAAAAA" }) }),
    );
    expect(response.status).toBe(401);
  });
});
