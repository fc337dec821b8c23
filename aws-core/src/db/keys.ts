import type { CatalogItemType, Identity } from "@questline/contracts";

/**
 * Key helpers of the single table. Every key starts from the caller's workspace (taken from
 * the verified identity, never from the body, query or path): `pk = WS#<workspaceId>`.
 */
export type WorkspaceScope = Pick<Identity, "workspaceId">;

export interface TableKey {
  pk: string;
  sk: string;
}

/** Sort-key prefix of each catalog-indexed entity type (`LP#<id>`, `QUIZ#<id>`, ...). */
export const ENTITY_SK_PREFIX: Record<CatalogItemType, string> = {
  learningPath: "LP",
  learningGroup: "LG",
  quiz: "QUIZ",
  slide: "SLIDE",
  activity: "ACT",
  badgeConfiguration: "BADGECFG",
  missionConfiguration: "MISSIONCFG",
  virtualCurrency: "CUR",
  media: "MEDIA",
};

export function workspacePk(scope: WorkspaceScope): string {
  return `WS#${scope.workspaceId}`;
}

export function entitySk(entityType: CatalogItemType, entityId: string): string {
  return `${ENTITY_SK_PREFIX[entityType]}#${entityId}`;
}

/** Where a catalog-indexed entity lives. */
export interface EntityRef {
  workspaceId: string;
  entityType: CatalogItemType;
  entityId: string;
}

export function entityRef(scope: WorkspaceScope, entityType: CatalogItemType, entityId: string): EntityRef {
  return { workspaceId: scope.workspaceId, entityType, entityId };
}

export function entityKey(ref: EntityRef): TableKey {
  return { pk: workspacePk(ref), sk: entitySk(ref.entityType, ref.entityId) };
}

/**
 * Where the last deleted version of an entity is remembered (not indexed), so that a
 * re-created id continues above the index's tombstone instead of restarting at 1.
 */
export function tombstoneKey(ref: EntityRef): TableKey {
  return { pk: workspacePk(ref), sk: `TOMBSTONE#${entitySk(ref.entityType, ref.entityId)}` };
}
