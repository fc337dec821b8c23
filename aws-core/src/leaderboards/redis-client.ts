import { Redis, type RedisOptions } from "ioredis";

/**
 * One ioredis client per container, created lazily from REDIS_URL (module scope so warm
 * Lambda invocations reuse the connection). In production REDIS_URL is `rediss://` and the
 * ACL user's password comes from REDIS_PASSWORD (resolved from REDIS_PASSWORD_SECRET_ARN by
 * the deployment). Options favour failing fast: when Redis is down, ranking reads answer 503
 * instead of hanging, and writes fall back to DynamoDB only (the leaderboard catches up).
 */
let shared: Redis | undefined;

export function redisOptions(): RedisOptions {
  return {
    lazyConnect: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 5_000,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  };
}

export function createRedisClient(url: string, password = process.env.REDIS_PASSWORD): Redis {
  const client = new Redis(url, { ...redisOptions(), ...(password ? { password } : {}) });
  // Errors surface on the commands; an unhandled 'error' event would crash the process.
  client.on("error", () => {});
  return client;
}

export function redis(): Redis {
  if (!shared) {
    const url = process.env.REDIS_URL;
    if (!url) throw new Error("REDIS_URL is not set");
    shared = createRedisClient(url);
  }
  return shared;
}
