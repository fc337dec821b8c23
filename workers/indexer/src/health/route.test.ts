import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { postBatch, upsert, WS_A } from "../../test/support/helpers";

interface Health {
  status: string;
  lag: { lastChangedAt: number; lastAppliedAt: number; lastLagMs: number } | null;
  workspace?: { workspaceId: string; lag: Health["lag"] };
}

async function health(query = ""): Promise<Health> {
  const response = await exports.default.fetch(`https://indexer.test/health${query}`);
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

  it("rejects an unknown batch source", async () => {
    await expect(postBatch([upsert("q1", 1)], "/batches?source=elsewhere")).rejects.toThrow("400");
  });
});
