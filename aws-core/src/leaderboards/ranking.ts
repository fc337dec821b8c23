/**
 * Ranking math shared by the Redis store and the reference implementation used in tests.
 *
 * Equal scores are ordered by who reached the score first. Redis orders equal scores by
 * member, and ZREVRANGE walks members in reverse byte order, so the member starts with the
 * *inverted* time the score was reached (13 zero-padded digits): the earliest time gives the
 * largest prefix and comes first. The user id follows, so a member is unique per user.
 */
export const TIE_BREAK_POLICIES = ["RANK", "DENSE_RANK", "ROW_NUMBER"] as const;
export type TieBreakPolicy = (typeof TIE_BREAK_POLICIES)[number];

const MAX_TIME_MS = 9_999_999_999_999;
const PREFIX_LENGTH = 13;

export function encodeMember(userId: string, reachedAtMs: number): string {
  const clamped = Math.min(Math.max(Math.trunc(reachedAtMs), 0), MAX_TIME_MS);
  return `${String(MAX_TIME_MS - clamped).padStart(PREFIX_LENGTH, "0")}:${userId}`;
}

export function decodeMember(member: string): { userId: string; reachedAtMs: number } {
  return {
    userId: member.slice(PREFIX_LENGTH + 1),
    reachedAtMs: MAX_TIME_MS - Number(member.slice(0, PREFIX_LENGTH)),
  };
}

export interface ScoredEntry {
  userId: string;
  score: number;
  reachedAtMs: number;
}

export interface RankedEntry extends ScoredEntry {
  rank: number;
}

/**
 * Gives ranks to one page of entries already in leaderboard order. `firstRank` is the rank of
 * the page's first entry under the policy (computed by the store from counts of higher
 * scores); ranks after it follow from the scores on the page.
 */
export function assignRanks(
  page: readonly ScoredEntry[],
  policy: TieBreakPolicy,
  offset: number,
  firstRank: number,
): RankedEntry[] {
  const ranked: RankedEntry[] = [];
  page.forEach((entry, index) => {
    const previous = ranked[index - 1];
    let rank: number;
    if (policy === "ROW_NUMBER" || !previous) rank = policy === "ROW_NUMBER" ? offset + index + 1 : firstRank;
    else if (entry.score === previous.score) rank = previous.rank;
    else rank = policy === "RANK" ? offset + index + 1 : previous.rank + 1;
    ranked.push({ ...entry, rank });
  });
  return ranked;
}

/** Leaderboard order: score desc, then who reached it first, then user id (desc, as Redis does). */
export function compareEntries(a: ScoredEntry, b: ScoredEntry): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.reachedAtMs !== b.reachedAtMs) return a.reachedAtMs - b.reachedAtMs;
  return a.userId < b.userId ? 1 : a.userId > b.userId ? -1 : 0;
}

/** Reference ranking of a whole leaderboard (used by tests and as documentation). */
export function rankAll(entries: readonly ScoredEntry[], policy: TieBreakPolicy): RankedEntry[] {
  const sorted = [...entries].sort(compareEntries);
  const first = sorted.length ? 1 : 0;
  return assignRanks(sorted, policy, 0, first);
}
