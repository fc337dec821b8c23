import { newId, newWorkspaceId } from "@questline/contracts";
import { type Caller, caller } from "./client";

/** Every kind of id a route can take, as seeded in one workspace. */
export interface Ids {
  workspaceId: string;
  userId: string;
  /** A second user, with no assignments (a valid target for a new manual assignment). */
  spareUserId: string;
  externalId: string;
  tag: string;
  activity: string;
  currency: string;
  badge: string;
  rewardRule: string;
  missionConfiguration: string;
  missionRule: string;
  streakConfiguration: string;
  streakRule: string;
  leaderboardConfiguration: string;
  leaderboard: string;
  media: string;
  quiz: string;
  slide: string;
  learningGroup: string;
  learningPath: string;
  learningPathRule: string;
  assignment: string;
  mission: string;
  activityLog: string;
  transaction: string;
  streak: string;
  /** A workspace authorization policy. */
  policy: string;
  /** A webhook endpoint (pointing at a closed loopback port) and its test delivery. */
  webhookEndpoint: string;
  webhookDelivery: string;
}
export type IdKey = Exclude<keyof Ids, "workspaceId">;

export interface Workspace {
  ids: Ids;
  /** Marker text put into every name/label/title of this workspace's entities. */
  marker: string;
  admin: Caller;
  viewer: Caller;
  /** The seeded end user (app context). */
  user: Caller;
  asUser(userId: string): Caller;
}

const en = (label: string) => ({ defaultLang: "en", translations: [{ lang: "en", label }] });

async function published(admin: Caller, path: string, body: Record<string, unknown>, idField: string) {
  const created = await admin.ok<Record<string, string>>("POST", `/dashboard/${path}`, body, 201);
  const id = created[idField] as string;
  await admin.ok("POST", `/dashboard/${path}/${id}/publish`, undefined, 200);
  return id;
}

async function publishedContent(admin: Caller, path: string, body: Record<string, unknown>, idField: string) {
  const created = await admin.ok<Record<string, string>>("POST", `/dashboard/${path}`, { ...body, publish: true }, 201);
  return created[idField] as string;
}

export function quizBody(marker: string) {
  return {
    difficulty: "EASY",
    correctAnswer: "opt2",
    defaultLang: "en",
    translations: [
      { lang: "en", question: `${marker} question?`, opt1: "One", opt2: "Two", opt3: "Three", opt4: "Four" },
    ],
  };
}
export function slideBody(marker: string) {
  return {
    defaultLang: "en",
    translations: [{ lang: "en", title: `${marker} slide`, content: { contents: [{ type: "slide", text: "x" }] } }],
  };
}
export function groupBody(marker: string, items: { itemId: string; itemType: string }[]) {
  return { type: "test", defaultLang: "en", translations: [{ lang: "en", title: `${marker} group` }], items };
}
export function pathBody(marker: string, items: { itemId: string; itemType: string }[]) {
  return {
    title: `${marker} path`,
    estimatedDuration: 10,
    defaultLang: "en",
    translations: [{ lang: "en", title: `${marker} path` }],
    items,
  };
}
export function mediaBody(workspaceId: string, mediaId: string, marker: string) {
  return {
    mediaId,
    key: `${workspaceId}/public/${mediaId}/${marker}.png`,
    fileName: `${marker}.png`,
    originalFileName: `${marker}.png`,
    contentType: "image/png",
    fileType: "image",
    visibility: "public",
    fileSize: 10,
    sha256: "b".repeat(64),
    translations: [{ lang: "en", label: `${marker} media` }],
  };
}
export function missionConfigurationBody(marker: string, activityId: string) {
  return {
    name: `${marker} mission`,
    missionType: "INDIVIDUAL",
    matchType: "INSTANCE",
    matchEntity: "Activity",
    matchEntityId: activityId,
    matchCondition: null,
    incrementExpression: 1,
    targetAmountExpression: 100,
    ...en(`${marker} mission`),
  };
}
export function missionRuleBody(marker: string, pool: string[]) {
  return {
    name: `${marker} rule`,
    missionType: "INDIVIDUAL",
    missionConfigurationsPool: pool,
    timeframeType: "PERMANENT",
    timeframeTimezoneType: "FIXED",
    timeframeTimezone: "UTC",
    timeframeStartsAt: "2020-01-01T00:00:00Z",
    assignmentMode: "LAZY",
    ...en(`${marker} rule`),
  };
}
export function rewardRuleBody(marker: string, activityId: string, rewards: unknown[]) {
  return {
    name: `${marker} reward`,
    ruleType: "INSTANCE",
    matchEntity: "Activity",
    matchEntityId: activityId,
    matchCondition: null,
    applicationMode: "ALWAYS",
    rewards,
    ...en(`${marker} reward`),
  };
}
export function streakConfigurationBody(marker: string, activityId: string) {
  return {
    name: `${marker} streak`,
    matchType: "INSTANCE",
    matchEntity: "Activity",
    matchEntityId: activityId,
    matchCondition: null,
    ...en(`${marker} streak`),
  };
}
export function streakRuleBody(marker: string, streakConfigurationId: string, freeze?: string) {
  return {
    name: `${marker} streak rule`,
    streakConfigurationId,
    timeframeType: "PERMANENT",
    timeframeTimezoneType: "FIXED",
    timeframeTimezone: "UTC",
    timeframeStartsAt: "2020-01-01T00:00:00Z",
    cadence: "DAY",
    metric: "DAYS",
    goalTargets: [7],
    ...(freeze ? { freezeEnabled: true, freezeVirtualCurrencyId: freeze } : { freezeEnabled: false }),
    defaultLang: "en",
    translations: [{ lang: "en", name: `${marker} streak rule` }],
  };
}
export function leaderboardBody(marker: string, activityId: string) {
  return {
    name: `${marker} board`,
    score: { source: "ACTIVITY_COUNT", activityId },
    ...en(`${marker} board`),
  };
}
export const instanceBody = {
  timeframeType: "PERMANENT",
  timeframeTimezoneType: "FIXED",
  timeframeTimezone: "UTC",
  timeframeStartsAt: "2020-01-01T00:00:00Z",
};
export function assignRuleBody(marker: string, pool: string[]) {
  return {
    ruleType: "ASSIGN",
    name: `${marker} assign`,
    learningPathsPool: pool,
    timeframeType: "PERMANENT",
    timeframeStartsAt: "2020-01-01T00:00:00Z",
    defaultLang: "en",
    translations: [{ lang: "en", label: `${marker} assign` }],
  };
}

/**
 * A workspace with one of each entity, created through the API as its admin (published where
 * it can be), a user with an activity log (rewards, badge, streak, leaderboard score, mission
 * progress), a pending credit, a LAZY mission and a rule-made learning path assignment.
 */
/** A valid workspace policy: editors may credit balances. */
export const EDITOR_CREDITS_POLICY =
  'permit (principal in Questline::Role::"editor", action in Questline::Action::"BalanceWrite", resource);';

export async function seedWorkspace(label: string): Promise<Workspace> {
  const workspaceId = newWorkspaceId();
  const marker = `${label}${newId().replace(/[^A-Za-z0-9]/g, "")}`;
  const admin = caller({ workspaceId, context: "dashboard", role: "admin", userId: `${label}-admin` });
  const viewer = caller({ workspaceId, context: "dashboard", role: "viewer" });
  const asUser = (userId: string) => caller({ workspaceId, context: "app", userId });

  const tag = await published(admin, "tags", { namespace: "team", variant: marker, ...en(`${marker} tag`) }, "tagId");
  const activity = await published(
    admin,
    "activities",
    { name: `${marker} run`, ...en(`${marker} run`) },
    "activityId",
  );
  const currency = await published(
    admin,
    "virtual-currencies",
    { name: `${marker} coins`, ...en(`${marker} coins`) },
    "virtualCurrencyId",
  );
  const badge = await published(
    admin,
    "badge-configurations",
    { name: `${marker} badge`, image: `${marker}.png`, ...en(`${marker} badge`) },
    "badgeConfigurationId",
  );
  const rewardRule = await published(
    admin,
    "reward-rules",
    rewardRuleBody(marker, activity, [
      { virtualCurrencyId: currency, redemptionMode: "AUTO", expression: 5 },
      { rewardType: "BADGE", badgeConfigurationId: badge },
    ]),
    "rewardRuleId",
  );
  const missionConfiguration = await published(
    admin,
    "mission-configurations",
    missionConfigurationBody(marker, activity),
    "missionConfigurationId",
  );
  const missionRule = await published(
    admin,
    "mission-rules",
    missionRuleBody(marker, [missionConfiguration]),
    "missionRuleId",
  );
  const streakConfiguration = await published(
    admin,
    "streak-configurations",
    streakConfigurationBody(marker, activity),
    "streakConfigurationId",
  );
  const streakRule = await published(
    admin,
    "streak-rules",
    streakRuleBody(marker, streakConfiguration),
    "streakRuleId",
  );
  const board = await admin.ok<{ runtimeLeaderboardConfigurationId: string }>(
    "POST",
    "/dashboard/runtime-leaderboard-configurations",
    leaderboardBody(marker, activity),
    201,
  );
  const leaderboardConfiguration = board.runtimeLeaderboardConfigurationId;
  const instance = await admin.ok<{ runtimeLeaderboardId: string }>(
    "POST",
    `/dashboard/runtime-leaderboard-configurations/${leaderboardConfiguration}/instances`,
    instanceBody,
    200,
  );
  const media = newId();
  await admin.ok("POST", "/dashboard/media", mediaBody(workspaceId, media, marker), 201);
  const quiz = await publishedContent(admin, "quizzes", quizBody(marker), "quizId");
  const slide = await publishedContent(admin, "slides", slideBody(marker), "slideId");
  const learningGroup = await publishedContent(
    admin,
    "learning-groups",
    groupBody(marker, [
      { itemId: quiz, itemType: "quiz" },
      { itemId: slide, itemType: "slide" },
    ]),
    "learningGroupId",
  );
  const learningPath = await publishedContent(
    admin,
    "learning-paths",
    pathBody(marker, [{ itemId: learningGroup, itemType: "learningGroup" }]),
    "learningPathId",
  );
  const learningPathRule = await published(
    admin,
    "learning-path-rules",
    assignRuleBody(marker, [learningPath]),
    "learningPathRuleId",
  );

  const externalId = `ext-${newId()}`;
  const created = await admin.ok<{ userId: string }>(
    "POST",
    "/dashboard/users",
    { externalId, nickname: `${marker}`.slice(0, 40), tags: [tag] },
    201,
  );
  const userId = created.userId;
  const spare = await admin.ok<{ userId: string }>("POST", "/dashboard/users", {}, 201);
  const user = asUser(userId);
  const missions = await user.ok<{ items: { missionId: string }[] }>("GET", "/app/missions");
  const mission = missions.items[0]?.missionId as string;
  const log = await user.ok<{ activityLogId: string }>("POST", "/app/activity-logs", { activityId: activity });
  const pending = await admin.ok<{ transactions: { virtualTransactionId: string }[] }>(
    "POST",
    "/dashboard/virtual-transactions",
    {
      transactions: [{ virtualCurrencyId: currency, redemptionMode: "MANUAL", amount: 7, destinationUserId: userId }],
    },
    201,
  );
  const transaction = pending.transactions[0]?.virtualTransactionId as string;
  const assignments = await user.ok<{ items: { learningPathAssignmentId: string }[] }>(
    "GET",
    "/app/learning-path-assignments",
  );
  const assignment = assignments.items[0]?.learningPathAssignmentId as string;
  const streaks = await user.ok<{ items: { streakId: string }[] }>("GET", "/app/streaks");
  const streak = streaks.items[0]?.streakId as string;
  const policy = await admin.ok<{ policyId: string }>(
    "POST",
    "/dashboard/authorization/policies",
    { description: `${marker} policy`, statement: EDITOR_CREDITS_POLICY },
    201,
  );
  const webhookEndpoint = await admin.ok<{ endpointId: string }>(
    "POST",
    "/dashboard/webhooks/endpoints",
    { url: `http://127.0.0.1:9/${marker}`, description: `${marker} webhook` },
    201,
  );
  const webhookDelivery = await admin.ok<{ deliveryId: string }>(
    "POST",
    `/dashboard/webhooks/endpoints/${webhookEndpoint.endpointId}/test`,
    undefined,
    200,
  );

  const ids: Ids = {
    workspaceId,
    userId,
    spareUserId: spare.userId,
    externalId,
    tag,
    activity,
    currency,
    badge,
    rewardRule,
    missionConfiguration,
    missionRule,
    streakConfiguration,
    streakRule,
    leaderboardConfiguration,
    leaderboard: instance.runtimeLeaderboardId,
    media,
    quiz,
    slide,
    learningGroup,
    learningPath,
    learningPathRule,
    assignment,
    mission,
    activityLog: log.activityLogId,
    transaction,
    streak,
    policy: policy.policyId,
    webhookEndpoint: webhookEndpoint.endpointId,
    webhookDelivery: webhookDelivery.deliveryId,
  };
  for (const [key, value] of Object.entries(ids)) {
    if (!value) throw new Error(`seed ${label}: no ${key}`);
  }
  return { ids, marker, admin, viewer, user, asUser };
}

/** Every id of `ids` (including the workspace id and the marker) as forbidden strings. */
export function fingerprints(ws: Workspace, except: readonly string[] = []): string[] {
  return [...Object.values(ws.ids), ws.marker].filter((v) => !except.includes(v));
}
