import { redis } from "./redis-client";
import { LeaderboardStore } from "./store";

let current: LeaderboardStore | undefined;

/** The container's leaderboard store (on the shared Redis client). */
export function leaderboardStore(): LeaderboardStore {
  current ??= new LeaderboardStore(redis());
  return current;
}

/** Points the store at another Redis (tests that kill or flush their own redis-server). */
export function useLeaderboardStore(store: LeaderboardStore | undefined): void {
  current = store;
}
