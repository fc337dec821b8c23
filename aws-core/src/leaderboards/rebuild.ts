import { QuestlineError } from "@questline/contracts";
import { leaderboardKeys } from "./keys";
import {
  clearRedisStale,
  countScores,
  getInstance,
  listInstances,
  redisEndedRetentionSeconds,
  type StoredInstance,
  scanScores,
} from "./repository";
import type { LeaderboardStore } from "./store";

export interface RebuildProgress {
  total: number;
  done: number;
}

export interface RebuildResult {
  instanceId: string;
  members: number;
  /** False when another rebuild held the lock (nothing was done here). */
  rebuilt: boolean;
}

/** Redis keys of an ended instance expire some time after its end. */
export function redisExpiry(instance: Pick<StoredInstance, "timeframeEndsAt">, now = Date.now()): number | undefined {
  if (!instance.timeframeEndsAt) return undefined;
  const at = Math.floor(Date.parse(instance.timeframeEndsAt) / 1000) + redisEndedRetentionSeconds();
  return at > now / 1000 ? at : Math.floor(now / 1000) + 3600;
}

/**
 * Rebuilds one instance's sorted sets from DynamoDB's score items. Live score writes keep
 * applying meanwhile (versioned: whichever is newer wins), so no update is lost.
 */
export async function rebuildInstance(
  store: LeaderboardStore,
  instance: StoredInstance,
  options: { onProgress?: (p: RebuildProgress) => void; pageSize?: number } = {},
): Promise<RebuildResult> {
  const keys = leaderboardKeys(instance.workspaceId, instance.runtimeLeaderboardId, instance.periodId);
  if (!(await store.beginRebuild(keys))) {
    return { instanceId: instance.runtimeLeaderboardId, members: 0, rebuilt: false };
  }
  const staleSince = instance.redisStaleSince;
  try {
    const total = options.onProgress ? await countScores(instance.workspaceId, instance.runtimeLeaderboardId) : 0;
    let done = 0;
    options.onProgress?.({ total, done });
    for await (const page of scanScores(instance.workspaceId, instance.runtimeLeaderboardId, options.pageSize)) {
      await store.setScores(keys, page);
      done += page.length;
      options.onProgress?.({ total: Math.max(total, done), done });
    }
    await store.finishRebuild(keys, redisExpiry(instance));
    if (staleSince) await clearRedisStale(instance.workspaceId, instance.runtimeLeaderboardId, staleSince);
    return { instanceId: instance.runtimeLeaderboardId, members: done, rebuilt: true };
  } catch (err) {
    await store.abortRebuild(keys).catch(() => {});
    throw err;
  }
}

export async function rebuildInstanceById(
  store: LeaderboardStore,
  workspaceId: string,
  instanceId: string,
  options: { onProgress?: (p: RebuildProgress) => void } = {},
): Promise<RebuildResult> {
  const instance = await getInstance(workspaceId, instanceId);
  if (!instance) throw new QuestlineError("resource.not_found", `Runtime leaderboard ${instanceId} not found`);
  return rebuildInstance(store, instance, options);
}

/** Every instance of a workspace (or the one given), rebuilt one after the other. */
export async function rebuildWorkspace(
  store: LeaderboardStore,
  workspaceId: string,
  options: {
    instanceId?: string | undefined;
    onInstance?: (instance: StoredInstance) => void;
    onProgress?: (p: RebuildProgress) => void;
  } = {},
): Promise<RebuildResult[]> {
  const results: RebuildResult[] = [];
  const rebuildOne = async (instance: StoredInstance) => {
    options.onInstance?.(instance);
    results.push(
      await rebuildInstance(store, instance, { ...(options.onProgress ? { onProgress: options.onProgress } : {}) }),
    );
  };
  if (options.instanceId) {
    const instance = await getInstance(workspaceId, options.instanceId);
    if (!instance)
      throw new QuestlineError("resource.not_found", `Runtime leaderboard ${options.instanceId} not found`);
    await rebuildOne(instance);
    return results;
  }
  let nextToken: string | undefined;
  do {
    const page = await listInstances(workspaceId, 100, nextToken);
    for (const instance of page.items) await rebuildOne(instance);
    nextToken = page.nextToken;
  } while (nextToken);
  return results;
}
