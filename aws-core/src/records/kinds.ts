import type { CatalogItemType } from "@questline/contracts";
import { SK, sortKey, sortKeyPrefix, type TableKey, tombstoneKeyOf, workspacePk } from "../db/keys";

/**
 * The kinds of versioned records: the tenant's configurations and content, each a record in
 * the workspace partition (`WS#<ws>` / `<prefix>#<id>`). Kinds with a `catalog` type are
 * indexed at the edge: their items carry the catalog envelope the stream handler reads
 * (`entityType`, `entityId`, `catalog`); the others carry `configType` / `configId` and are
 * ignored by the indexer.
 */
export const RECORD_KINDS = {
  activity: { prefix: SK.activity, catalog: "activity" },
  virtualCurrency: { prefix: SK.virtualCurrency, catalog: "virtualCurrency" },
  badgeConfiguration: { prefix: SK.badgeConfiguration, catalog: "badgeConfiguration" },
  missionConfiguration: { prefix: SK.missionConfiguration, catalog: "missionConfiguration" },
  learningPath: { prefix: SK.learningPath, catalog: "learningPath" },
  learningGroup: { prefix: SK.learningGroup, catalog: "learningGroup" },
  quiz: { prefix: SK.quiz, catalog: "quiz" },
  slide: { prefix: SK.slide, catalog: "slide" },
  media: { prefix: SK.media, catalog: "media" },
  tag: { prefix: SK.tag },
  rewardRule: { prefix: SK.rewardRule },
  missionRule: { prefix: SK.missionRule },
  streakConfiguration: { prefix: SK.streakConfiguration },
  streakRule: { prefix: SK.streakRule },
  learningPathRule: { prefix: SK.learningPathRule },
} as const satisfies Record<string, { prefix: string; catalog?: CatalogItemType }>;

export type RecordKind = keyof typeof RECORD_KINDS;

/** Where a record lives: always the caller's workspace (from the verified identity). */
export interface RecordRef {
  workspaceId: string;
  kind: RecordKind;
  id: string;
  /** The workspace's account, recorded on create (from the verified token). */
  accountId?: string | undefined;
}

export function recordRef(
  scope: { workspaceId: string; accountId?: string | undefined },
  kind: RecordKind,
  id: string,
): RecordRef {
  return { workspaceId: scope.workspaceId, kind, id, ...(scope.accountId ? { accountId: scope.accountId } : {}) };
}

export function catalogTypeOf(kind: RecordKind): CatalogItemType | undefined {
  const spec = RECORD_KINDS[kind];
  return "catalog" in spec ? spec.catalog : undefined;
}

/** The `begins_with` prefix that lists one kind of a workspace. */
export function recordSkPrefix(kind: RecordKind): string {
  return sortKeyPrefix(RECORD_KINDS[kind].prefix);
}

export function recordKey(ref: RecordRef): TableKey {
  return { pk: workspacePk(ref), sk: sortKey(RECORD_KINDS[ref.kind].prefix, ref.id) };
}

/**
 * Where the last deleted version of a catalog record is remembered (not indexed), so a
 * re-created id continues above the index's tombstone instead of restarting at 1.
 */
export function tombstoneKey(ref: RecordRef): TableKey {
  return tombstoneKeyOf(recordKey(ref));
}
