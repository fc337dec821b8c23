import type { Identity } from "@questline/contracts";

/**
 * Every key of the single table is built here: partition keys, index partition keys and
 * sort-key prefixes. Each starts from the caller's workspace (taken from the verified identity,
 * never from the body, query or path), so another workspace's id is just a missing item.
 * The table design is in aws-core/README.md; this module is its executable form.
 */
export type WorkspaceScope = Pick<Identity, "workspaceId">;

export interface TableKey {
  pk: string;
  sk: string;
}

/** Sort-key prefixes, by the partition they live in. */
export const SK = {
  // Workspace partition (`WS#<ws>`): configurations, content, users, tenancy records.
  activity: "ACT",
  virtualCurrency: "CUR",
  badgeConfiguration: "BADGECFG",
  missionConfiguration: "MISSIONCFG",
  learningPath: "LP",
  learningGroup: "LG",
  quiz: "QUIZ",
  slide: "SLIDE",
  media: "MEDIA",
  tag: "TAG",
  rewardRule: "REWARDRULE",
  missionRule: "MISSIONRULE",
  streakConfiguration: "STREAKCFG",
  streakRule: "STREAKRULE",
  learningPathRule: "LPRULE",
  leaderboardConfiguration: "LBCFG",
  leaderboardSeries: "LBSERIES",
  leaderboardInstance: "LB",
  tombstone: "TOMBSTONE",
  user: "USER",
  externalIdGuard: "EXTUSER",
  appClient: "APPCLIENT",
  liveBackfill: "LIVEBACKFILL",
  authorizationPolicy: "AUTHZPOLICY",
  webhookEndpoint: "WHENDPOINT",
  // Webhook endpoint partition (`WS#<ws>#WEBHOOK#<endpointId>`): its deliveries.
  webhookDelivery: "WHDELIVERY",
  // User partition (`WS#<ws>#USER#<userId>`): the user's state and logs.
  activityLog: "ALOG",
  mission: "M",
  missionLog: "MLOG",
  balance: "BAL",
  transaction: "VTX",
  badge: "BADGE",
  badgeLog: "BLOG",
  streak: "STREAK",
  streakRecord: "STREAKREC",
  assignment: "LPA",
  submission: "LSUB",
  progress: "LPROG",
  // Leaderboard scores partition (`WS#<ws>#LB#<instanceId>`).
  score: "U",
  scoreEvent: "E",
} as const;

/** A sort key: the prefix and its parts joined by `#` (`sortKey(SK.mission, id)` → `M#<id>`). */
export function sortKey(prefix: string, ...parts: string[]): string {
  return [prefix, ...parts].join("#");
}

/** The `begins_with` argument that lists one prefix (`M#`), optionally narrowed by more parts. */
export function sortKeyPrefix(prefix: string, ...parts: string[]): string {
  return `${sortKey(prefix, ...parts)}#`;
}

const WS = (workspaceId: string) => `WS#${workspaceId}`;

/** Partition keys. */
export const PK = {
  workspace: WS,
  user: (workspaceId: string, userId: string) => `${WS(workspaceId)}#USER#${userId}`,
  group: (workspaceId: string, groupTagId: string) => `${WS(workspaceId)}#GROUP#${groupTagId}`,
  /** The published configuration the engine runs (records/live.ts). */
  live: (workspaceId: string) => `${WS(workspaceId)}#LIVE`,
  leaderboardScores: (workspaceId: string, instanceId: string) => `${WS(workspaceId)}#LB#${instanceId}`,
  webhookEndpoint: (workspaceId: string, endpointId: string) => `${WS(workspaceId)}#WEBHOOK#${endpointId}`,
  account: (accountId: string) => `ACCOUNT#${accountId}`,
} as const;

/** Index (gsi1/gsi2) partition keys. */
export const INDEX_PK = {
  /** gsi1: a user's history of one kind, newest first (`<createdAt>#<id>`): ALOG, VTX, LSUB. */
  userHistory: (workspaceId: string, userId: string, prefix: string) => `${PK.user(workspaceId, userId)}#${prefix}`,
  /** gsi2: PENDING credits that expire, by `expiresAt`. */
  expiringCredits: (workspaceId: string) => `${WS(workspaceId)}#EXPIRING`,
  /** gsi2: streak counters that can still miss a period, by due time. */
  streaksDue: (workspaceId: string) => `${WS(workspaceId)}#STREAKDUE`,
  /** gsi1: learning path assignments of the workspace, by creation. */
  assignments: (workspaceId: string) => `${WS(workspaceId)}#LPA`,
  /** gsi2: one learning path assignment by id. */
  assignmentById: (workspaceId: string, assignmentId: string) => `${WS(workspaceId)}#LPA#${assignmentId}`,
  /** gsi1: one webhook endpoint's deliveries, newest first (`<createdAt>#<deliveryId>`). */
  webhookDeliveries: (workspaceId: string, endpointId: string) => `${WS(workspaceId)}#WEBHOOK#${endpointId}#DLV`,
  /** gsi2: webhook deliveries still to send, by next attempt time. */
  webhookDeliveriesDue: (workspaceId: string) => `${WS(workspaceId)}#WHDUE`,
  /** gsi2: open leaderboard series. */
  openSeries: (workspaceId: string) => `${WS(workspaceId)}#LBSERIES`,
  /** gsi1: the instances (periods) of one leaderboard series. */
  seriesInstances: (workspaceId: string, seriesId: string) => `${WS(workspaceId)}#LBSERIES#${seriesId}`,
  /** gsi1: a user by the customer's own external id. */
  externalUser: (workspaceId: string, externalId: string) => `${WS(workspaceId)}#EXTUSER#${externalId}`,
  /** gsi1: an app client by its client id (resolved before the workspace is known). */
  appClient: (clientId: string) => `APPCLIENT#${clientId}`,
  /**
   * gsi2: every workspace, for the platform's own scheduled sweeps (never used to serve a
   * tenant request: those always know their workspace from the token).
   */
  workspaces: "PLATFORM#WORKSPACES",
} as const;

export function workspacePk(scope: WorkspaceScope): string {
  return PK.workspace(scope.workspaceId);
}

/** Whether a raw key belongs to a workspace's own partitions (`WS#<ws>` or `WS#<ws>#…`). */
export function isWorkspacePartition(pk: string, workspaceId: string): boolean {
  const own = PK.workspace(workspaceId);
  return pk === own || pk.startsWith(`${own}#`);
}

/** The tombstone of a record: where its last deleted version is remembered (not indexed). */
export function tombstoneKeyOf(key: TableKey): TableKey {
  return { pk: key.pk, sk: sortKey(SK.tombstone, key.sk) };
}
