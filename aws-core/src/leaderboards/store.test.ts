import { newId, newWorkspaceId } from "@questline/contracts";
import { afterAll, describe, expect, it } from "vitest";
import { leaderboardKeys } from "./keys";
import { rankAll, type TieBreakPolicy } from "./ranking";
import { createRedisClient } from "./redis-client";
import { LeaderboardStore } from "./store";

const client = createRedisClient(process.env.REDIS_URL ?? "");
const store = new LeaderboardStore(client);
afterAll(() => client.quit());

async function builtBoard() {
  const keys = leaderboardKeys(newWorkspaceId(), newId(), "PERMANENT");
  expect(await store.beginRebuild(keys)).toBe(true);
  await store.finishRebuild(keys);
  return keys;
}

describe("LeaderboardStore (real Redis)", () => {
  it("ranks like the reference implementation under every policy, across pages", async () => {
    const keys = await builtBoard();
    const entries = Array.from({ length: 40 }, (_, i) => ({
      userId: `user-${String(i).padStart(2, "0")}`,
      score: [10, 20, 20, 30, 5.5][i % 5] ?? 0,
      reachedAtMs: 1_000 + ((i * 7) % 13),
    }));
    await Promise.all(entries.map((e) => store.setScore(keys, { ...e, version: 1 })));
    for (const policy of ["RANK", "DENSE_RANK", "ROW_NUMBER"] as TieBreakPolicy[]) {
      const expected = rankAll(entries, policy).map((e) => `${e.rank}:${e.userId}:${e.score}`);
      const seen: string[] = [];
      for (let offset = 0; offset < 40; offset += 7) {
        const page = await store.readRankings(keys, { offset, limit: 7, policy });
        if (page.status !== "ready") throw new Error(page.status);
        expect(page.total).toBe(40);
        seen.push(...page.entries.map((e) => `${e.rank}:${e.userId}:${e.score}`));
      }
      expect(seen).toEqual(expected);
      for (const e of rankAll(entries, policy)) {
        const page = await store.readRankings(keys, { offset: 0, limit: 0, userId: e.userId, policy });
        if (page.status !== "ready") throw new Error(page.status);
        expect(page.me).toMatchObject({ rank: e.rank, userId: e.userId, score: e.score });
      }
    }
  });

  it("applies only newer versions, whatever the order updates arrive in", async () => {
    const keys = await builtBoard();
    const updates = [1, 2, 3, 4, 5].map((v) => ({ userId: "u", score: v * 10, reachedAtMs: v, version: v }));
    expect(await store.setScore(keys, updates[4]!)).toBe("applied");
    for (const u of updates.slice(0, 4)) expect(await store.setScore(keys, u)).toBe("stale");
    expect(await store.setScore(keys, updates[4]!)).toBe("stale");
    const page = await store.readRankings(keys, { offset: 0, limit: 10, userId: "u", policy: "DENSE_RANK" });
    expect(page).toMatchObject({ status: "ready", total: 1, me: { rank: 1, score: 50 } });
    // the distinct-score set only holds the current score
    expect(await client.zcard(keys.distinct)).toBe(1);
  });

  it("reports a board that was never built (or was lost) instead of answering empty", async () => {
    const keys = leaderboardKeys(newWorkspaceId(), newId(), "2025-01-01");
    expect(await store.readRankings(keys, { offset: 0, limit: 10, policy: "RANK" })).toEqual({ status: "missing" });
    expect(await store.setScore(keys, { userId: "u", score: 1, reachedAtMs: 1, version: 1 })).toBe("not-built");
    expect(await store.beginRebuild(keys)).toBe(true);
    expect(await store.beginRebuild(keys)).toBe(false);
    expect(await store.readRankings(keys, { offset: 0, limit: 10, policy: "RANK" })).toEqual({ status: "building" });
  });

  it("keeps display names beside the ranks", async () => {
    const keys = await builtBoard();
    await store.setScore(keys, {
      userId: "a",
      score: 3,
      reachedAtMs: 1,
      version: 1,
      displayName: "Ada",
      image: "https://x/a.png",
    });
    await store.setScore(keys, { userId: "b", score: 2, reachedAtMs: 1, version: 1 });
    const page = await store.readRankings(keys, { offset: 0, limit: 10, userId: "b", policy: "RANK" });
    expect(page).toMatchObject({
      status: "ready",
      entries: [
        { userId: "a", displayName: "Ada", image: "https://x/a.png", rank: 1 },
        { userId: "b", rank: 2 },
      ],
      me: { userId: "b", rank: 2, score: 2 },
    });
  });
});
