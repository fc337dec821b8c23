import { GetCommand, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { documentDb, tableName } from "../db/client";
import { isConditionFailure } from "../db/conditions";
import { SK, sortKey, workspacePk } from "../db/keys";
import { recordKey, recordRef } from "../records/kinds";
import { invalidateLiveConfig, type LiveConfig, liveKey, liveSnapshotPut, loadLiveConfig } from "../records/live";
import { type CompanionWrites, listRecords, type StoredRecord } from "../records/store";

/**
 * The structure of published learning containers in the workspace's LIVE partition:
 *
 *   pk = WS#<ws>#LIVE   sk = learningPath#<id> | learningGroup#<id>   data = { activityIds, groupIds }
 *
 * written in the same transaction as every version of a path or group that is PUBLISHED, and
 * deleted in the same transaction as a version that is not (or the delete). The engine loads
 * it with the rest of the cached live configuration, so an activity log can tell, without a
 * read of its own, whether its activity sits in any published path (directly or in nested
 * groups); only then does the learning-progress consumer read the user's assignments.
 */
export type ContainerType = "learningPath" | "learningGroup";

export interface LiveStructure {
  activityIds: string[];
  groupIds: string[];
}

interface ContainerData {
  state: string;
  items: readonly { itemId: string; itemType: string }[];
}

export function structureOf(items: ContainerData["items"]): LiveStructure {
  const ids = (type: string) => [...new Set(items.filter((i) => i.itemType === type).map((i) => i.itemId))];
  return { activityIds: ids("activity"), groupIds: ids("learningGroup") };
}

/** The LIVE entry of a container, for the transaction of its new version (null: deleted). */
export function liveStructureWrites<T extends ContainerData>(
  workspaceId: string,
  type: ContainerType,
  id: string,
): CompanionWrites<T> {
  return (item) =>
    item?.data.state === "PUBLISHED"
      ? [
          {
            Put: liveSnapshotPut(workspaceId, {
              kind: type,
              id,
              version: item.version,
              data: structureOf(item.data.items),
            }),
          },
        ]
      : [{ Delete: { TableName: tableName(), Key: liveKey(workspaceId, type, id) } }];
}

/** After a container write committed: this container's cached configuration is stale. */
export function structureChanged(workspaceId: string): void {
  invalidateLiveConfig(workspaceId);
}

const reachable = new WeakMap<LiveConfig, ReadonlySet<string>>();

/**
 * Every activity listed by a published path, directly or in published groups nested in it
 * (any depth, each group once). Computed once per loaded configuration.
 */
export function activitiesInPublishedPaths(config: LiveConfig): ReadonlySet<string> {
  const known = reachable.get(config);
  if (known) return known;
  const activities = new Set<string>();
  const seen = new Set<string>();
  const pending: LiveStructure[] = [];
  for (const entry of config.learningPath.values()) pending.push(entry.data as LiveStructure);
  for (let next = pending.pop(); next; next = pending.pop()) {
    for (const id of next.activityIds) activities.add(id);
    for (const groupId of next.groupIds) {
      if (seen.has(groupId)) continue;
      seen.add(groupId);
      const group = config.learningGroup.get(groupId);
      if (group) pending.push(group.data as LiveStructure);
    }
  }
  reachable.set(config, activities);
  return activities;
}

/** Set once a workspace's containers published before the structure existed have their entries. */
const backfillKey = (workspaceId: string) => ({
  pk: workspacePk({ workspaceId }),
  sk: sortKey(SK.liveBackfill, "learningStructure"),
});

/**
 * One-time backfill (run by the scheduled sweep): writes the entry of every published path and
 * group that has none (published before entries existed), then marks the workspace done; after
 * that every container write keeps its entry in step. Returns how many entries it wrote.
 */
export async function backfillLiveStructure(workspaceId: string): Promise<number> {
  const done = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: backfillKey(workspaceId), ConsistentRead: true }),
  );
  if (done.Item) return 0;
  invalidateLiveConfig(workspaceId);
  const live = await loadLiveConfig(workspaceId);
  let written = 0;
  for (const type of ["learningPath", "learningGroup"] as const) {
    let nextToken: string | undefined;
    do {
      const page = await listRecords<ContainerData>({ workspaceId }, type, { limit: 100, nextToken });
      for (const item of page.items) {
        if (item.data.state !== "PUBLISHED" || live[type].has(item.id)) continue;
        await putEntryOnce(workspaceId, type, item);
        written++;
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  await documentDb().send(
    new PutCommand({ TableName: tableName(), Item: { ...backfillKey(workspaceId), at: new Date().toISOString() } }),
  );
  if (written) invalidateLiveConfig(workspaceId);
  return written;
}

/** The entry of a container as listed, unless it changed since (then its own write set the entry). */
async function putEntryOnce(workspaceId: string, type: ContainerType, item: StoredRecord<ContainerData>) {
  const [write] = liveStructureWrites<ContainerData>(workspaceId, type, item.id)(item);
  await documentDb()
    .send(
      new TransactWriteCommand({
        TransactItems: [
          write!,
          {
            ConditionCheck: {
              TableName: tableName(),
              Key: recordKey(recordRef({ workspaceId }, type, item.id)),
              ConditionExpression: "#version = :v",
              ExpressionAttributeNames: { "#version": "version" },
              ExpressionAttributeValues: { ":v": item.version },
            },
          },
        ],
      }),
    )
    .catch((err: unknown) => {
      // The container changed since it was listed: its own write set the entry.
      if (!isConditionFailure(err)) throw err;
    });
}
