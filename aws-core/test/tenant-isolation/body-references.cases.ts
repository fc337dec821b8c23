import { newId, newWorkspaceId } from "@questline/contracts";
import {
  assignRuleBody,
  EDITOR_CREDITS_POLICY,
  groupBody,
  type Ids,
  leaderboardBody,
  mediaBody,
  missionConfigurationBody,
  missionRuleBody,
  pathBody,
  quizBody,
  rewardRuleBody,
  slideBody,
  streakConfigurationBody,
  streakRuleBody,
} from "./support/seed";

/**
 * Writes whose body (or query) names another entity. Each case sends the same request three
 * ways: with a random id, with workspace A's id, and (when `own` is set) with B's own id as a
 * control that the request is otherwise valid. A's id must be answered exactly like a random id.
 */
export interface BodyReferenceCase {
  route: string;
  name: string;
  as: "admin" | "user" | "twin";
  /**
   * Cases that create entities under A's ids run in a third workspace C (same shape as B), so
   * B never owns an id equal to one of A's and the other cases stay meaningful.
   */
  inC?: true;
  /** The clone case needs a workspace of its own too (C already owns A's path id by then). */
  inD?: true;
  /** The request path (default: the route's path). */
  path?: (b: Ids) => string;
  /** The body with `ref` in the referencing field. */
  body?: (b: Ids, ref: string, marker: string) => unknown;
  /** Query string with `ref` (GET routes). */
  query?: (ref: string) => string;
  /** A's id to reference (and how to make a random one, default `newId()`). */
  foreign: (a: Ids) => string;
  random?: () => string;
  /** Expected status for A's and a random id (and error code for 4xx). */
  expect: number;
  code?: string;
  /** B's own id, answered with `ownStatus`: proves the rest of the request is valid. */
  own?: (b: Ids) => string;
  ownStatus?: number;
  /** A B list that must be unchanged by a refused write. */
  list?: (b: Ids) => string;
  /** A's GET (as A's admin) that must be unchanged. */
  aView?: (a: Ids) => string;
}

const en = (label: string) => ({ defaultLang: "en", translations: [{ lang: "en", label }] });

/** Creating an entity under a client-chosen id that A already uses: B gets its own entity. */
function chosenId(route: string, idField: string, view: (a: Ids) => string, body: BodyReferenceCase["body"]) {
  return {
    route,
    name: `${idField} = A's id creates B's own entity`,
    as: "admin" as const,
    inC: true as const,
    body: (b: Ids, ref: string, marker: string) => ({
      ...(body?.(b, ref, marker) as Record<string, unknown>),
      [idField]: ref,
    }),
    foreign: (a: Ids) => view(a).split("/").at(-1) as string,
    expect: 201,
    aView: view,
  };
}

export const BODY_REFERENCE_CASES: BodyReferenceCase[] = [
  // client-chosen ids on create
  chosenId(
    "POST /dashboard/authorization/policies",
    "policyId",
    (a) => `/dashboard/authorization/policies/${a.policy}`,
    (_b, _r, m) => ({ description: m, statement: EDITOR_CREDITS_POLICY }),
  ),
  chosenId(
    "POST /dashboard/webhooks/endpoints",
    "endpointId",
    (a) => `/dashboard/webhooks/endpoints/${a.webhookEndpoint}`,
    (_b, _r, m) => ({ url: `https://example.com/${m}`, description: m }),
  ),
  chosenId(
    "POST /dashboard/activities",
    "activityId",
    (a) => `/dashboard/activities/${a.activity}`,
    (_b, _r, m) => ({ name: m, ...en(m) }),
  ),
  chosenId(
    "POST /dashboard/tags",
    "tagId",
    (a) => `/dashboard/tags/${a.tag}`,
    (_b, _r, m) => ({ namespace: "team", variant: `v${newId().replace(/[^A-Za-z0-9]/g, "")}`, ...en(m) }),
  ),
  chosenId(
    "POST /dashboard/virtual-currencies",
    "virtualCurrencyId",
    (a) => `/dashboard/virtual-currencies/${a.currency}`,
    (_b, _r, m) => ({ name: m, ...en(m) }),
  ),
  chosenId(
    "POST /dashboard/reward-rules",
    "rewardRuleId",
    (a) => `/dashboard/reward-rules/${a.rewardRule}`,
    (b, _r, m) =>
      rewardRuleBody(m, b.activity, [{ virtualCurrencyId: b.currency, redemptionMode: "AUTO", expression: 1 }]),
  ),
  chosenId(
    "POST /dashboard/badge-configurations",
    "badgeConfigurationId",
    (a) => `/dashboard/badge-configurations/${a.badge}`,
    (_b, _r, m) => ({ name: m, image: "x.png", ...en(m) }),
  ),
  chosenId(
    "POST /dashboard/mission-configurations",
    "missionConfigurationId",
    (a) => `/dashboard/mission-configurations/${a.missionConfiguration}`,
    (b, _r, m) => missionConfigurationBody(m, b.activity),
  ),
  chosenId(
    "POST /dashboard/mission-rules",
    "missionRuleId",
    (a) => `/dashboard/mission-rules/${a.missionRule}`,
    (b, _r, m) => missionRuleBody(m, [b.missionConfiguration]),
  ),
  chosenId(
    "POST /dashboard/streak-configurations",
    "streakConfigurationId",
    (a) => `/dashboard/streak-configurations/${a.streakConfiguration}`,
    (b, _r, m) => streakConfigurationBody(m, b.activity),
  ),
  chosenId(
    "POST /dashboard/streak-rules",
    "streakRuleId",
    (a) => `/dashboard/streak-rules/${a.streakRule}`,
    (b, _r, m) => streakRuleBody(m, b.streakConfiguration),
  ),
  chosenId(
    "POST /dashboard/learning-paths",
    "learningPathId",
    (a) => `/dashboard/learning-paths/${a.learningPath}`,
    (_b, _r, m) => pathBody(m, []),
  ),
  chosenId(
    "POST /dashboard/learning-groups",
    "learningGroupId",
    (a) => `/dashboard/learning-groups/${a.learningGroup}`,
    (_b, _r, m) => groupBody(m, []),
  ),
  chosenId(
    "POST /dashboard/quizzes",
    "quizId",
    (a) => `/dashboard/quizzes/${a.quiz}`,
    (_b, _r, m) => quizBody(m),
  ),
  chosenId(
    "POST /dashboard/slides",
    "slideId",
    (a) => `/dashboard/slides/${a.slide}`,
    (_b, _r, m) => slideBody(m),
  ),
  chosenId(
    "POST /dashboard/learning-path-rules",
    "learningPathRuleId",
    (a) => `/dashboard/learning-path-rules/${a.learningPathRule}`,
    (b, _r, m) => assignRuleBody(m, [b.learningPath]),
  ),
  chosenId(
    "POST /dashboard/runtime-leaderboard-configurations",
    "runtimeLeaderboardConfigurationId",
    (a) => `/dashboard/runtime-leaderboard-configurations/${a.leaderboardConfiguration}`,
    (b, _r, m) => leaderboardBody(m, b.activity),
  ),
  {
    route: "POST /dashboard/media",
    name: "mediaId = A's id (key in B's workspace) creates B's own media",
    as: "admin",
    inC: true,
    body: (b, ref, m) => mediaBody(b.workspaceId, ref, m),
    foreign: (a) => a.media,
    expect: 201,
    aView: (a) => `/dashboard/media/${a.media}`,
  },
  {
    route: "POST /dashboard/media",
    name: "an object key under A's workspace",
    as: "admin",
    body: (b, ref, m) => ({
      ...mediaBody(b.workspaceId, "mediaKeyProbe", m),
      key: `${ref}/public/mediaKeyProbe/${m}.png`,
    }),
    foreign: (a) => a.workspaceId,
    random: newWorkspaceId,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.workspaceId,
    ownStatus: 201,
    list: () => "/dashboard/media",
  },
  {
    route: "POST /dashboard/learning-paths/:learningPathId/clone",
    name: "cloning B's path into A's path id",
    as: "admin",
    inD: true,
    path: (b) => `/dashboard/learning-paths/${b.learningPath}/clone`,
    body: (_b, ref) => ({ learningPathId: ref }),
    foreign: (a) => a.learningPath,
    expect: 201,
    aView: (a) => `/dashboard/learning-paths/${a.learningPath}`,
  },
  // references validated on save (A's id is a missing id: 400 naming the field, nothing written)
  {
    route: "POST /dashboard/reward-rules",
    name: "a currency reward in A's currency",
    as: "admin",
    body: (b, ref, m) =>
      rewardRuleBody(m, b.activity, [{ virtualCurrencyId: ref, redemptionMode: "AUTO", expression: 1 }]),
    foreign: (a) => a.currency,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.currency,
    ownStatus: 201,
    list: () => "/dashboard/reward-rules",
  },
  {
    route: "POST /dashboard/reward-rules",
    name: "a badge reward of A's badge configuration",
    as: "admin",
    body: (b, ref, m) => rewardRuleBody(m, b.activity, [{ rewardType: "BADGE", badgeConfigurationId: ref }]),
    foreign: (a) => a.badge,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.badge,
    ownStatus: 201,
    list: () => "/dashboard/reward-rules",
  },
  {
    route: "POST /dashboard/mission-rules",
    name: "a pool with A's mission configuration",
    as: "admin",
    body: (_b, ref, m) => missionRuleBody(m, [ref]),
    foreign: (a) => a.missionConfiguration,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.missionConfiguration,
    ownStatus: 201,
    list: () => "/dashboard/mission-rules",
  },
  {
    route: "POST /dashboard/mission-rules",
    name: "a GROUP rule on A's tag",
    as: "admin",
    body: (b, ref, m) => ({ ...missionRuleBody(m, [b.missionConfiguration]), missionType: "GROUP", groupTagId: ref }),
    foreign: (a) => a.tag,
    expect: 400,
    code: "request.validation_failed",
    list: () => "/dashboard/mission-rules",
  },
  {
    route: "POST /dashboard/streak-rules",
    name: "A's streak configuration",
    as: "admin",
    body: (_b, ref, m) => streakRuleBody(m, ref),
    foreign: (a) => a.streakConfiguration,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.streakConfiguration,
    ownStatus: 201,
    list: () => "/dashboard/streak-rules",
  },
  {
    route: "POST /dashboard/streak-rules",
    name: "freezes paid in A's currency",
    as: "admin",
    body: (b, ref, m) => streakRuleBody(m, b.streakConfiguration, ref),
    foreign: (a) => a.currency,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.currency,
    ownStatus: 201,
    list: () => "/dashboard/streak-rules",
  },
  {
    route: "POST /dashboard/missions",
    name: "manual assignment to A's user",
    as: "admin",
    body: (b, ref) => ({
      userId: ref,
      missionType: "INDIVIDUAL",
      missionConfigurationId: b.missionConfiguration,
      timeframeType: "PERMANENT",
      startsAt: "2020-01-01T00:00:00Z",
    }),
    foreign: (a) => a.userId,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.userId,
    ownStatus: 201,
  },
  {
    route: "POST /dashboard/missions",
    name: "manual assignment of A's mission configuration",
    as: "admin",
    body: (b, ref) => ({
      userId: b.userId,
      missionType: "INDIVIDUAL",
      missionConfigurationId: ref,
      timeframeType: "PERMANENT",
      startsAt: "2020-01-01T00:00:00Z",
    }),
    foreign: (a) => a.missionConfiguration,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.missionConfiguration,
    ownStatus: 201,
  },
  {
    route: "POST /dashboard/users",
    name: "a new user with A's tag",
    as: "admin",
    body: (_b, ref) => ({ tags: [ref] }),
    foreign: (a) => a.tag,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.tag,
    ownStatus: 201,
  },
  {
    route: "PUT /dashboard/users/:userId/tags",
    name: "B's user given A's tag",
    as: "admin",
    path: (b) => `/dashboard/users/${b.userId}/tags`,
    body: (_b, ref) => ({ tags: [ref] }),
    foreign: (a) => a.tag,
    expect: 400,
    code: "request.validation_failed",
    list: (b) => `/dashboard/users/${b.userId}/tags`,
  },
  {
    route: "POST /dashboard/virtual-transactions",
    name: "a credit to A's user",
    as: "admin",
    body: (b, ref) => ({
      transactions: [{ virtualCurrencyId: b.currency, redemptionMode: "AUTO", amount: 1, destinationUserId: ref }],
    }),
    foreign: (a) => a.userId,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.userId,
    ownStatus: 201,
  },
  {
    route: "POST /dashboard/virtual-transactions",
    name: "a move out of A's user",
    as: "admin",
    body: (b, ref) => ({
      transactions: [
        {
          virtualCurrencyId: b.currency,
          redemptionMode: "AUTO",
          amount: 1,
          destinationUserId: b.userId,
          sourceUserId: ref,
        },
      ],
    }),
    foreign: (a) => a.userId,
    expect: 400,
    code: "request.validation_failed",
  },
  {
    route: "POST /dashboard/virtual-transactions",
    name: "a credit in A's currency",
    as: "admin",
    body: (b, ref) => ({
      transactions: [{ virtualCurrencyId: ref, redemptionMode: "AUTO", amount: 1, destinationUserId: b.userId }],
    }),
    foreign: (a) => a.currency,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.currency,
    ownStatus: 201,
  },
  {
    route: "POST /app/virtual-transactions",
    name: "a transfer to A's user",
    as: "user",
    body: (b, ref) => ({
      transactions: [{ virtualCurrencyId: b.currency, redemptionMode: "AUTO", amount: 1, destinationUserId: ref }],
    }),
    foreign: (a) => a.userId,
    expect: 400,
    code: "request.validation_failed",
  },
  {
    route: "POST /app/virtual-transactions",
    name: "a transfer in A's currency (as B's twin of A's user)",
    as: "twin",
    body: (b, ref) => ({
      transactions: [{ virtualCurrencyId: ref, redemptionMode: "AUTO", amount: 1, destinationUserId: b.userId }],
    }),
    foreign: (a) => a.currency,
    expect: 400,
    code: "request.validation_failed",
  },
  {
    route: "POST /app/activity-logs",
    name: "a log of A's activity",
    as: "twin",
    body: (_b, ref) => ({ activityId: ref }),
    foreign: (a) => a.activity,
    expect: 404,
    code: "resource.not_found",
    own: (b) => b.activity,
    ownStatus: 200,
    list: () => "/app/activity-logs",
  },
  {
    route: "POST /app/activity-logs",
    name: "a log reusing A's activityLogId (as B's twin of A's user) is a new log, not a replay",
    as: "twin",
    body: (b, ref) => ({ activityId: b.activity, activityLogId: ref }),
    foreign: (a) => a.activityLog,
    expect: 200,
  },
  {
    route: "POST /app/virtual-transactions/history/search",
    name: "history filtered by A's currency",
    as: "twin",
    body: (_b, ref) => ({ filter: { virtualCurrencyId: ref } }),
    foreign: (a) => a.currency,
    expect: 200,
  },
  {
    route: "GET /app/streaks",
    name: "streaks filtered by A's streak rule",
    as: "twin",
    query: (ref) => `streakRuleId=${ref}`,
    foreign: (a) => a.streakRule,
    expect: 200,
  },
  {
    route: "POST /app/quizzes/:quizId/submit",
    name: "a submit of B's quiz under A's learning group",
    as: "user",
    path: (b) => `/app/quizzes/${b.quiz}/submit`,
    body: (_b, ref) => ({ answer: "opt1", parentId: ref, parentType: "learningGroup" }),
    foreign: (a) => a.learningGroup,
    expect: 404,
    code: "resource.not_found",
  },
  {
    route: "POST /dashboard/learning-path-assignments",
    name: "manual assignment of A's learning path",
    as: "admin",
    body: (b, ref) => ({
      learningPathId: ref,
      userId: b.userId,
      startsAt: "2020-01-01T00:00:00Z",
      visibility: "UNLOCKED",
      timeframeType: "PERMANENT",
    }),
    foreign: (a) => a.learningPath,
    expect: 404,
    code: "resource.not_found",
    list: () => "/dashboard/learning-path-assignments",
  },
  {
    route: "POST /dashboard/learning-path-assignments",
    name: "manual assignment to A's user",
    as: "admin",
    body: (b, ref) => ({
      learningPathId: b.learningPath,
      userId: ref,
      startsAt: "2020-01-01T00:00:00Z",
      visibility: "UNLOCKED",
      timeframeType: "PERMANENT",
    }),
    foreign: (a) => a.userId,
    expect: 400,
    code: "request.validation_failed",
    // The seeded user already holds B's path (rule-made); the spare user does not.
    own: (b) => b.spareUserId,
    ownStatus: 201,
    list: () => "/dashboard/learning-path-assignments",
    aView: (a) => `/dashboard/learning-path-assignments/${a.assignment}`,
  },
  {
    route: "POST /dashboard/learning-path-rules",
    name: "an ASSIGN rule over A's learning path",
    as: "admin",
    body: (_b, ref, m) => assignRuleBody(m, [ref]),
    foreign: (a) => a.learningPath,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.learningPath,
    ownStatus: 201,
  },
  {
    route: "POST /dashboard/learning-groups",
    name: "a group listing A's quiz",
    as: "admin",
    body: (_b, ref, m) => ({ ...groupBody(m, [{ itemId: ref, itemType: "quiz" }]), publish: true }),
    foreign: (a) => a.quiz,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.quiz,
    ownStatus: 201,
  },
  {
    route: "POST /dashboard/learning-groups",
    name: "a group listing A's activity",
    as: "admin",
    body: (_b, ref, m) => groupBody(m, [{ itemId: ref, itemType: "activity" }]),
    foreign: (a) => a.activity,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.activity,
    ownStatus: 201,
  },
  {
    route: "POST /dashboard/learning-paths",
    name: "a path listing A's group",
    as: "admin",
    body: (_b, ref, m) => ({ ...pathBody(m, [{ itemId: ref, itemType: "learningGroup" }]), publish: true }),
    foreign: (a) => a.learningGroup,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.learningGroup,
    ownStatus: 201,
  },
  {
    route: "POST /dashboard/learning-paths",
    name: "a path listing A's slide after B's own quiz",
    as: "admin",
    body: (b, ref, m) =>
      pathBody(m, [
        { itemId: b.quiz, itemType: "quiz" },
        { itemId: ref, itemType: "slide" },
      ]),
    foreign: (a) => a.slide,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.slide,
    ownStatus: 201,
  },
  {
    route: "POST /dashboard/mission-configurations",
    name: "a mission on A's activity",
    as: "admin",
    body: (_b, ref, m) => missionConfigurationBody(m, ref),
    foreign: (a) => a.activity,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.activity,
    ownStatus: 201,
    list: () => "/dashboard/mission-configurations",
  },
  {
    route: "POST /dashboard/mission-configurations",
    name: "a mission on A's learning path",
    as: "admin",
    body: (_b, ref, m) => ({ ...missionConfigurationBody(m, ref), matchEntity: "LearningPath" }),
    foreign: (a) => a.learningPath,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.learningPath,
    ownStatus: 201,
  },
  {
    route: "POST /dashboard/mission-configurations",
    name: "a mission on A's tag",
    as: "admin",
    body: (_b, ref, m) => ({ ...missionConfigurationBody(m, ref), matchEntity: "Tag" }),
    foreign: (a) => a.tag,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.tag,
    ownStatus: 201,
  },
  {
    route: "POST /dashboard/runtime-leaderboard-configurations",
    name: "a board scoring A's activity",
    as: "admin",
    body: (_b, ref, m) => leaderboardBody(m, ref),
    foreign: (a) => a.activity,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.activity,
    ownStatus: 201,
  },
  {
    route: "POST /dashboard/runtime-leaderboard-configurations",
    name: "a board for holders of A's tag",
    as: "admin",
    body: (b, ref, m) => ({ ...leaderboardBody(m, b.activity), eligibleUsers: { type: "TAG", tagId: ref } }),
    foreign: (a) => a.tag,
    expect: 400,
    code: "request.validation_failed",
    own: (b) => b.tag,
    ownStatus: 201,
  },
];

export const BODY_REFERENCE_ROUTES = BODY_REFERENCE_CASES.map((c) => c.route);
