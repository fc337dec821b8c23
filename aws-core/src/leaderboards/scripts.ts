import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** A Lua script run with EVALSHA, loaded with EVAL the first time a server lacks it. */
export class LuaScript {
  readonly sha: string;
  constructor(
    readonly source: string,
    readonly numberOfKeys: number,
  ) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(client: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, this.numberOfKeys, ...keys, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith("NOSCRIPT")) {
        return client.eval(this.source, this.numberOfKeys, ...keys, ...args);
      }
      throw err;
    }
  }
}

/**
 * Sets one user's absolute score. DynamoDB assigns every change a version; an update not
 * newer than what Redis holds is ignored, so retries, replays and a rebuild racing with live
 * writes all converge to DynamoDB's state. Keeps the distinct-score set for DENSE_RANK.
 * KEYS: z m d dc u meta. ARGV: userId score member version display requireMeta.
 * Returns 1 applied, 0 stale, -1 leaderboard not built (caller leaves it to the rebuild).
 */
export const setScoreScript = new LuaScript(
  `
if ARGV[6] == '1' and redis.call('EXISTS', KEYS[6]) == 0 then return -1 end
local prev = redis.call('HGET', KEYS[2], ARGV[1])
if prev then
  local sep = string.find(prev, '|', 1, true)
  if tonumber(ARGV[4]) <= tonumber(string.sub(prev, 1, sep - 1)) then return 0 end
  local prevMember = string.sub(prev, sep + 1)
  local prevScore = redis.call('ZSCORE', KEYS[1], prevMember)
  redis.call('ZREM', KEYS[1], prevMember)
  if prevScore and redis.call('HINCRBY', KEYS[4], prevScore, -1) <= 0 then
    redis.call('HDEL', KEYS[4], prevScore)
    redis.call('ZREM', KEYS[3], prevScore)
  end
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
local score = redis.call('ZSCORE', KEYS[1], ARGV[3])
if redis.call('HINCRBY', KEYS[4], score, 1) == 1 then redis.call('ZADD', KEYS[3], score, score) end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4] .. '|' .. ARGV[3])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[5], ARGV[1], ARGV[5]) end
return 1
`,
  6,
);

/**
 * One round trip for a rankings page and the caller's own entry.
 * KEYS: z m d u meta. ARGV: offset limit userId policy.
 * Returns {state, total, flat member/score pairs, rank of the first entry, me {member, score,
 * rank} or {}, display JSON per page entry (+ me)}; {'missing'} when the board is not built.
 */
export const readRankingsScript = new LuaScript(
  `
local state = redis.call('HGET', KEYS[5], 'state')
if not state then return {'missing'} end
local offset = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local total = redis.call('ZCARD', KEYS[1])
local items = {}
if limit > 0 then items = redis.call('ZREVRANGE', KEYS[1], offset, offset + limit - 1, 'WITHSCORES') end
local function policyRank(score, rowRank)
  if ARGV[4] == 'RANK' then return redis.call('ZCOUNT', KEYS[1], '(' .. score, '+inf') + 1 end
  if ARGV[4] == 'DENSE_RANK' then return redis.call('ZCOUNT', KEYS[3], '(' .. score, '+inf') + 1 end
  return rowRank
end
local first = 0
if #items > 0 then first = policyRank(items[2], offset + 1) end
local ids = {}
for i = 1, #items, 2 do ids[#ids + 1] = string.sub(items[i], 15) end
local me = {}
if ARGV[3] ~= '' then
  local mv = redis.call('HGET', KEYS[2], ARGV[3])
  if mv then
    local member = string.sub(mv, string.find(mv, '|', 1, true) + 1)
    local row = redis.call('ZREVRANK', KEYS[1], member)
    local score = redis.call('ZSCORE', KEYS[1], member)
    if row and score then
      me = {member, score, policyRank(score, row + 1)}
      ids[#ids + 1] = ARGV[3]
    end
  end
end
local names = {}
if #ids > 0 then names = redis.call('HMGET', KEYS[4], unpack(ids)) end
return {state, total, items, first, me, names}
`,
  5,
);
