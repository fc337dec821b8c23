/** `@questline/aws-core/leaderboard-ops`: rebuilding Redis leaderboards, and the store the benches drive. */
export { leaderboardKeys } from "./leaderboards/keys";
export { rebuildWorkspace } from "./leaderboards/rebuild";
export { createRedisClient, redis } from "./leaderboards/redis-client";
export { LeaderboardStore } from "./leaderboards/store";
