import { describe, expect, it } from "vitest";
import { assignRanks, compareEntries, decodeMember, encodeMember, rankAll } from "./ranking";

const entries = [
  { userId: "ann", score: 50, reachedAtMs: 3_000 },
  { userId: "bob", score: 80, reachedAtMs: 5_000 },
  { userId: "cid", score: 50, reachedAtMs: 1_000 },
  { userId: "dan", score: 20, reachedAtMs: 1_000 },
  { userId: "eve", score: 50, reachedAtMs: 2_000 },
];

describe("tie-break policies", () => {
  it("orders equal scores by who reached them first", () => {
    expect(rankAll(entries, "ROW_NUMBER").map((e) => `${e.rank}:${e.userId}`)).toEqual([
      "1:bob",
      "2:cid",
      "3:eve",
      "4:ann",
      "5:dan",
    ]);
  });

  it("RANK leaves gaps after ties, DENSE_RANK does not", () => {
    expect(rankAll(entries, "RANK").map((e) => e.rank)).toEqual([1, 2, 2, 2, 5]);
    expect(rankAll(entries, "DENSE_RANK").map((e) => e.rank)).toEqual([1, 2, 2, 2, 3]);
  });

  it("continues ranks on a later page from the first rank the store computed", () => {
    const sorted = [...entries].sort(compareEntries);
    // page 2 (offset 2, limit 3) starts inside the tie group: RANK 2, DENSE_RANK 2
    expect(assignRanks(sorted.slice(2), "RANK", 2, 2).map((e) => e.rank)).toEqual([2, 2, 5]);
    expect(assignRanks(sorted.slice(2), "DENSE_RANK", 2, 2).map((e) => e.rank)).toEqual([2, 2, 3]);
    expect(assignRanks(sorted.slice(2), "ROW_NUMBER", 2, 0).map((e) => e.rank)).toEqual([3, 4, 5]);
  });
});

describe("member encoding", () => {
  it("round-trips and sorts earlier times last in byte order (first in ZREVRANGE)", () => {
    const early = encodeMember("u-1", 1_700_000_000_000);
    const late = encodeMember("u-1", 1_700_000_000_001);
    expect(decodeMember(early)).toEqual({ userId: "u-1", reachedAtMs: 1_700_000_000_000 });
    expect(early > late).toBe(true);
    expect(decodeMember(encodeMember("a:b", 0)).userId).toBe("a:b");
  });
});
