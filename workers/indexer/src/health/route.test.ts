import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ORIGIN, postBatch, signer, upsert, WS_A } from "../../test/support/helpers";

interface Health {
  status: string;
  lag: { lastChangedAt: number; lastAppliedAt: number; lastLagMs: number } | null;
  workspace?: { workspaceId: string; lag: Health["lag"] };
}

async function health(query = ""): Promise<Health> {
  const url = `${ORIGIN}/health${query}`;
  // Per-workspace figures need the indexer's signature.
  const request = query.includes("workspace=") ? await signer().sign(url, { method: "GET" }) : new Request(url);
  const response = await exports.default.fetch(request);
  expect(response.status).toBe(200);
  return response.json<Health>();
}

describe("GET /health", () => {
  it("has no lag before any stream batch", async () => {
    expect(await health()).toEqual({ status: "ok", lag: null });
  });

  it("reports the lag of the newest change in the latest stream batch", async () => {
    const changedAt = Date.now() - 4_000;
    await postBatch([upsert("q1", 1, { changedAt: changedAt - 1_000 }), upsert("q2", 1, { changedAt })]);
    const report = await health(`?workspace=${WS_A}`);
    expect(report.lag?.lastChangedAt).toBe(changedAt);
    expect(report.lag?.lastLagMs).toBe((report.lag?.lastAppliedAt ?? 0) - changedAt);
    expect(report.lag?.lastLagMs).toBeGreaterThanOrEqual(4_000);
    expect(report.workspace?.lag).toEqual(report.lag);
  });

  it("does not count reindex or repair batches (old changes) as stream lag", async () => {
    await postBatch([upsert("q1", 1, { changedAt: Date.now() - 86_400_000 })], "/batches?source=reindex");
    await postBatch([upsert("q2", 1, { changedAt: Date.now() - 86_400_000 })], "/batches?source=repair");
    expect((await health()).lag).toBeNull();
  });

  it("per-workspace figures need the indexer's signature: unsigned 401, another key 403", async () => {
    const url = `${ORIGIN}/health?workspace=${WS_A}`;
    const unsigned = await exports.default.fetch(url);
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: { code: string } }).error.code).toBe("auth.bad_signature");
    const foreign = await signer({ accessKeyId: "AKIDSTRANGER", secretAccessKey: "x" }).sign(url, { method: "GET" });
    expect((await exports.default.fetch(foreign)).status).toBe(403);
    // The global liveness figure stays open.
    expect((await exports.default.fetch(`${ORIGIN}/health`)).status).toBe(200);
  });

  it("rejects an unknown batch source", async () => {
    await expect(postBatch([upsert("q1", 1)], "/batches?source=elsewhere")).rejects.toThrow("400");
  });
});
