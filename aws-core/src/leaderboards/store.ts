import { QuestlineError } from "@questline/contracts";
import type { Redis } from "ioredis";
import { allKeys, type LeaderboardKeys } from "./keys";
import { assignRanks, decodeMember, encodeMember, type TieBreakPolicy } from "./ranking";
import { readRankingsScript, setScoreScript } from "./scripts";

export interface Display {
  displayName?: string;
  image?: string;
}

export interface ScoreState extends Display {
  userId: string;
  score: number;
  reachedAtMs: number;
  /** Monotonic per (leaderboard, user), assigned by DynamoDB. */
  version: number;
}

export interface RankingEntry extends Display {
  rank: number;
  userId: string;
  score: number;
}

export type RankingsPage =
  | { status: "missing" }
  | { status: "building" }
  | { status: "ready"; total: number; entries: RankingEntry[]; me: RankingEntry | null };

export type SetResult = "applied" | "stale" | "not-built";

/** Thrown for any Redis failure: the API answers 503 with Retry-After. */
export function redisUnavailable(cause: unknown): QuestlineError {
  return new QuestlineError("upstream.unavailable", "Leaderboard store is unavailable, retry shortly", {
    headers: { "Retry-After": "5" },
    cause,
  });
}

function encodeDisplay(d: Display): string {
  if (!d.displayName && !d.image) return "";
  return JSON.stringify({ n: d.displayName, i: d.image });
}

function decodeDisplay(raw: unknown): Display {
  if (typeof raw !== "string" || !raw) return {};
  const parsed = JSON.parse(raw) as { n?: string; i?: string };
  return { ...(parsed.n ? { displayName: parsed.n } : {}), ...(parsed.i ? { image: parsed.i } : {}) };
}

/** The Redis side of leaderboards: sorted sets derived from DynamoDB's score items. */
export class LeaderboardStore {
  constructor(readonly client: Redis) {}

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw redisUnavailable(err);
    }
  }

  /** Writes one user's absolute score; ignored when not newer than what Redis holds. */
  async setScore(
    keys: LeaderboardKeys,
    state: ScoreState,
    options: { requireBuilt?: boolean } = {},
  ): Promise<SetResult> {
    const result = await this.call(() =>
      setScoreScript.run(
        this.client,
        [keys.scores, keys.members, keys.distinct, keys.distinctCounts, keys.users, keys.meta],
        [
          state.userId,
          state.score,
          encodeMember(state.userId, state.reachedAtMs),
          state.version,
          encodeDisplay(state),
          options.requireBuilt === false ? "0" : "1",
        ],
      ),
    );
    return result === 1 ? "applied" : result === 0 ? "stale" : "not-built";
  }

  async readRankings(
    keys: LeaderboardKeys,
    query: { offset: number; limit: number; userId?: string; policy: TieBreakPolicy },
  ): Promise<RankingsPage> {
    const raw = (await this.call(() =>
      readRankingsScript.run(
        this.client,
        [keys.scores, keys.members, keys.distinct, keys.users, keys.meta],
        [query.offset, query.limit, query.userId ?? "", query.policy],
      ),
    )) as [string, number?, string[]?, number?, string[]?, (string | null)[]?];
    const [state, total = 0, items = [], first = 0, me = [], names = []] = raw;
    if (state === "missing") return { status: "missing" };
    if (state !== "ready") return { status: "building" };
    const page = [];
    for (let i = 0; i < items.length; i += 2) {
      const { userId, reachedAtMs } = decodeMember(items[i] ?? "");
      page.push({ userId, reachedAtMs, score: Number(items[i + 1]) });
    }
    const entries = assignRanks(page, query.policy, query.offset, first).map((e, i) => ({
      rank: e.rank,
      userId: e.userId,
      score: e.score,
      ...decodeDisplay(names[i]),
    }));
    let mine: RankingEntry | null = null;
    if (me.length === 3) {
      mine = {
        rank: Number(me[2]),
        userId: decodeMember(me[0] ?? "").userId,
        score: Number(me[1]),
        ...decodeDisplay(names[names.length - 1]),
      };
    }
    return { status: "ready", total, entries, me: mine };
  }

  /**
   * Starts a rebuild: takes the instance's rebuild lock, clears the derived keys and marks the
   * board `building` (live writes keep applying, versioned). Returns false when another
   * rebuild holds the lock.
   */
  async beginRebuild(keys: LeaderboardKeys, lockMs = 120_000): Promise<boolean> {
    return this.call(async () => {
      const locked = await this.client.set(keys.lock, String(Date.now()), "PX", lockMs, "NX");
      if (locked !== "OK") return false;
      await this.client
        .multi()
        .del(...allKeys(keys))
        .hset(keys.meta, "state", "building")
        .exec();
      return true;
    });
  }

  async setScores(keys: LeaderboardKeys, states: readonly ScoreState[]): Promise<void> {
    await Promise.all(states.map((s) => this.setScore(keys, s, { requireBuilt: false })));
  }

  async finishRebuild(keys: LeaderboardKeys, expireAtSeconds?: number): Promise<void> {
    await this.call(async () => {
      const tx = this.client.multi().hset(keys.meta, { state: "ready", builtAt: new Date().toISOString() });
      if (expireAtSeconds) for (const key of allKeys(keys)) tx.expireat(key, expireAtSeconds);
      await tx.del(keys.lock).exec();
    });
  }

  async abortRebuild(keys: LeaderboardKeys): Promise<void> {
    await this.client
      .multi()
      .del(...allKeys(keys))
      .del(keys.lock)
      .exec();
  }

  /** Ended boards are frozen; their keys expire after the retention period. */
  async expireAt(keys: LeaderboardKeys, epochSeconds: number): Promise<void> {
    await this.call(async () => {
      const tx = this.client.multi();
      for (const key of allKeys(keys)) tx.expireat(key, epochSeconds);
      await tx.exec();
    });
  }
}
