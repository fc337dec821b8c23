/**
 * Redis keys of one leaderboard instance (= one period of a configuration). Every key starts
 * with the workspace; the `{…}` hash tag keeps an instance's keys in one cluster slot so the
 * Lua scripts may touch them together (MemoryDB runs in cluster mode).
 *
 *   <ws>:lb:{<instanceId>:<periodId>}:z     sorted set: encoded member → score
 *   <ws>:lb:{<instanceId>:<periodId>}:m     hash: userId → "<version>|<member>"
 *   <ws>:lb:{<instanceId>:<periodId>}:d     sorted set of distinct scores (for DENSE_RANK)
 *   <ws>:lb:{<instanceId>:<periodId>}:dc    hash: distinct score → how many members hold it
 *   <ws>:lb:{<instanceId>:<periodId>}:u     hash: userId → display JSON {n, i}
 *   <ws>:lb:{<instanceId>:<periodId>}:meta  hash: state (building|ready), builtAt
 *   <ws>:lb:{<instanceId>:<periodId>}:lock  rebuild lock (SET NX PX)
 */
export interface LeaderboardKeys {
  scores: string;
  members: string;
  distinct: string;
  distinctCounts: string;
  users: string;
  meta: string;
  lock: string;
}

export function leaderboardKeys(workspaceId: string, instanceId: string, periodId: string): LeaderboardKeys {
  const base = `${workspaceId}:lb:{${instanceId}:${periodId}}`;
  return {
    scores: `${base}:z`,
    members: `${base}:m`,
    distinct: `${base}:d`,
    distinctCounts: `${base}:dc`,
    users: `${base}:u`,
    meta: `${base}:meta`,
    lock: `${base}:lock`,
  };
}

export function allKeys(keys: LeaderboardKeys): string[] {
  return [keys.scores, keys.members, keys.distinct, keys.distinctCounts, keys.users, keys.meta];
}
