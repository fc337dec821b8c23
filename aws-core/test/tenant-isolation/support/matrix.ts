import type { IdKey, Ids } from "./seed";
import { instanceBody } from "./seed";

/**
 * The route matrix: every endpoint of `createApp()` and how to exercise it from another
 * workspace. `routes-covered.test.ts` fails when `app.routes` and this table differ, so a new
 * route cannot ship without deciding how it is tested cross-tenant.
 *
 * - `item`: the path carries entity ids. Each param is `a:<kind>` (the other workspace's id,
 *   compared with a random id) or `own:<kind>` (the caller's own id). `view` is a GET, as the
 *   owning workspace, that shows the entity a write targets (checked unchanged afterwards).
 * - `list`: a list/search; the answer must not contain any id of the other workspace.
 * - `create`: a write whose body may reference other entities; its cases live in
 *   `body-references.test.ts` under the same `method path` key.
 * - `self`: the caller's own record (`/app/users/me`).
 */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type Param = `a:${IdKey}` | `own:${IdKey}`;

export interface ViewRef {
  as: "admin" | "user";
  path: (a: Ids) => string;
}

export type Probe =
  | { kind: "item"; params: Record<string, Param>; view?: ViewRef; missing?: number }
  | { kind: "list"; query?: string }
  | { kind: "create" }
  | { kind: "self" };

export interface RouteCase {
  method: Method;
  /** The Hono pattern exactly as `app.routes` lists it. */
  path: string;
  /** A valid body, built from the caller's own workspace ids. */
  body?: (own: Ids) => unknown;
  probes: Probe[];
}

const en = { defaultLang: "en", translations: [{ lang: "en", label: "renamed" }] };
const adminView = (path: (a: Ids) => string): ViewRef => ({ as: "admin", path });
const userView = (path: (a: Ids) => string): ViewRef => ({ as: "user", path });

/** The shared resource router (`records/resource-routes.ts`) of a staged kind (configurations, rules). */
function configRoutes(base: string, key: IdKey, param: string, update: unknown, archivable = false): RouteCase[] {
  const view = adminView((a) => `${base}/${a[key]}`);
  const item = (extra: Partial<Extract<Probe, { kind: "item" }>> = {}): Probe[] => [
    { kind: "item", params: { [param]: `a:${key}` }, view, ...extra },
  ];
  return [
    { method: "POST", path: base, probes: [{ kind: "create" }] },
    { method: "GET", path: base, probes: [{ kind: "list" }] },
    { method: "GET", path: `${base}/:${param}`, probes: item() },
    { method: "PUT", path: `${base}/:${param}`, body: () => update, probes: item() },
    { method: "DELETE", path: `${base}/:${param}`, probes: item() },
    { method: "POST", path: `${base}/:${param}/publish`, probes: item() },
    ...(archivable
      ? [
          { method: "POST" as const, path: `${base}/:${param}/archive`, probes: item() },
          { method: "POST" as const, path: `${base}/:${param}/unarchive`, probes: item() },
        ]
      : []),
  ];
}

/** The shared resource router (`records/resource-routes.ts`) of an immediate kind (learning content). */
function contentRoutes(base: string, key: IdKey, param: string, update: unknown): RouteCase[] {
  const view = adminView((a) => `${base}/${a[key]}`);
  const item: Probe[] = [{ kind: "item", params: { [param]: `a:${key}` }, view }];
  return [
    { method: "POST", path: base, probes: [{ kind: "create" }] },
    { method: "GET", path: base, probes: [{ kind: "list" }] },
    { method: "GET", path: `${base}/:${param}`, probes: item },
    { method: "PUT", path: `${base}/:${param}`, body: () => update, probes: item },
    { method: "POST", path: `${base}/:${param}/publish`, probes: item },
    { method: "DELETE", path: `${base}/:${param}`, probes: item },
  ];
}

const appItem = (param: string, key: IdKey, view?: ViewRef): Probe[] => [
  { kind: "item", params: { [param]: `a:${key}` }, ...(view ? { view } : {}) },
];

export const ROUTE_MATRIX: RouteCase[] = [
  // learning content
  ...contentRoutes("/dashboard/learning-paths", "learningPath", "learningPathId", { title: "renamed" }),
  ...contentRoutes("/dashboard/learning-groups", "learningGroup", "learningGroupId", { type: "story" }),
  ...contentRoutes("/dashboard/quizzes", "quiz", "quizId", { difficulty: "HARD" }),
  ...contentRoutes("/dashboard/slides", "slide", "slideId", {
    translations: [{ lang: "en", title: "renamed", content: { contents: [{ type: "slide", text: "y" }] } }],
  }),
  {
    method: "POST",
    path: "/dashboard/learning-paths/:learningPathId/clone",
    body: () => ({}),
    probes: [
      {
        kind: "item",
        params: { learningPathId: "a:learningPath" },
        view: adminView((a) => `/dashboard/learning-paths/${a.learningPath}`),
      },
      { kind: "create" },
    ],
  },
  { method: "GET", path: "/app/learning-groups/:learningGroupId", probes: appItem("learningGroupId", "learningGroup") },
  {
    method: "GET",
    path: "/app/learning-groups/:learningGroupId/items",
    probes: appItem("learningGroupId", "learningGroup"),
  },
  { method: "GET", path: "/app/quizzes/:quizId", probes: appItem("quizId", "quiz") },
  {
    method: "POST",
    path: "/app/quizzes/:quizId/submit",
    body: () => ({ answer: "opt2" }),
    probes: [
      ...appItem(
        "quizId",
        "quiz",
        userView((a) => `/app/learning-groups/${a.learningGroup}`),
      ),
      { kind: "create" },
    ],
  },
  { method: "GET", path: "/app/slides/:slideId", probes: appItem("slideId", "slide") },
  {
    method: "POST",
    path: "/app/slides/:slideId/submit",
    body: () => ({ progress: "COMPLETE" }),
    probes: appItem(
      "slideId",
      "slide",
      userView((a) => `/app/learning-groups/${a.learningGroup}`),
    ),
  },
  // learning path rules and assignments
  ...configRoutes("/dashboard/learning-path-rules", "learningPathRule", "learningPathRuleId", { name: "renamed" }),
  { method: "POST", path: "/dashboard/learning-path-assignments", probes: [{ kind: "create" }] },
  { method: "GET", path: "/dashboard/learning-path-assignments", probes: [{ kind: "list" }] },
  {
    method: "GET",
    path: "/dashboard/learning-path-assignments/:learningPathAssignmentId",
    probes: [{ kind: "item", params: { learningPathAssignmentId: "a:assignment" } }],
  },
  { method: "GET", path: "/app/learning-path-assignments", probes: [{ kind: "list" }] },
  {
    method: "POST",
    path: "/app/learning-path-assignments/search",
    body: () => ({}),
    probes: [{ kind: "list" }],
  },
  {
    method: "GET",
    path: "/app/learning-path-assignments/:learningPathAssignmentId",
    probes: appItem("learningPathAssignmentId", "assignment"),
  },
  {
    method: "GET",
    path: "/app/learning-path-assignments/:learningPathAssignmentId/items",
    probes: appItem("learningPathAssignmentId", "assignment"),
  },
  {
    method: "GET",
    path: "/app/learning-path-assignments/:learningPathAssignmentId/current-attempt",
    probes: appItem("learningPathAssignmentId", "assignment"),
  },
  {
    method: "POST",
    path: "/app/learning-path-assignments/:learningPathAssignmentId/retry",
    probes: appItem(
      "learningPathAssignmentId",
      "assignment",
      userView((a) => `/app/learning-path-assignments/${a.assignment}/current-attempt`),
    ),
  },
  // leaderboards
  { method: "POST", path: "/dashboard/runtime-leaderboard-configurations", probes: [{ kind: "create" }] },
  { method: "GET", path: "/dashboard/runtime-leaderboard-configurations", probes: [{ kind: "list" }] },
  {
    method: "GET",
    path: "/dashboard/runtime-leaderboard-configurations/:runtimeLeaderboardConfigurationId",
    probes: [{ kind: "item", params: { runtimeLeaderboardConfigurationId: "a:leaderboardConfiguration" } }],
  },
  {
    method: "PUT",
    path: "/dashboard/runtime-leaderboard-configurations/:runtimeLeaderboardConfigurationId",
    body: () => ({ name: "renamed" }),
    probes: [
      {
        kind: "item",
        params: { runtimeLeaderboardConfigurationId: "a:leaderboardConfiguration" },
        view: adminView((a) => `/dashboard/runtime-leaderboard-configurations/${a.leaderboardConfiguration}`),
      },
    ],
  },
  {
    method: "POST",
    path: "/dashboard/runtime-leaderboard-configurations/:runtimeLeaderboardConfigurationId/instances",
    body: () => instanceBody,
    probes: [
      {
        kind: "item",
        params: { runtimeLeaderboardConfigurationId: "a:leaderboardConfiguration" },
        view: adminView(() => "/dashboard/runtime-leaderboards"),
      },
    ],
  },
  { method: "GET", path: "/dashboard/runtime-leaderboards", probes: [{ kind: "list" }] },
  {
    method: "GET",
    path: "/dashboard/runtime-leaderboards/:runtimeLeaderboardId",
    probes: [{ kind: "item", params: { runtimeLeaderboardId: "a:leaderboard" } }],
  },
  {
    method: "GET",
    path: "/dashboard/runtime-leaderboards/:runtimeLeaderboardId/rankings",
    probes: [{ kind: "item", params: { runtimeLeaderboardId: "a:leaderboard" } }],
  },
  {
    method: "POST",
    path: "/dashboard/runtime-leaderboards/:runtimeLeaderboardId/rebuild",
    probes: [
      {
        kind: "item",
        params: { runtimeLeaderboardId: "a:leaderboard" },
        view: adminView((a) => `/dashboard/runtime-leaderboards/${a.leaderboard}/rankings`),
      },
    ],
  },
  { method: "GET", path: "/app/runtime-leaderboards", probes: [{ kind: "list" }] },
  {
    method: "GET",
    path: "/app/runtime-leaderboards/:runtimeLeaderboardId",
    probes: appItem("runtimeLeaderboardId", "leaderboard"),
  },
  {
    method: "GET",
    path: "/app/runtime-leaderboards/:runtimeLeaderboardId/rankings",
    probes: appItem("runtimeLeaderboardId", "leaderboard"),
  },
  {
    method: "GET",
    path: "/app/runtime-leaderboards/:runtimeLeaderboardId/rankings/me",
    probes: appItem("runtimeLeaderboardId", "leaderboard"),
  },
  // media
  { method: "POST", path: "/dashboard/media", probes: [{ kind: "create" }] },
  { method: "GET", path: "/dashboard/media", probes: [{ kind: "list" }] },
  {
    method: "GET",
    path: "/dashboard/media/:mediaId",
    probes: [{ kind: "item", params: { mediaId: "a:media" } }],
  },
  {
    method: "PATCH",
    path: "/dashboard/media/:mediaId",
    body: () => ({ tags: ["renamed"] }),
    probes: [{ kind: "item", params: { mediaId: "a:media" }, view: adminView((a) => `/dashboard/media/${a.media}`) }],
  },
  {
    method: "DELETE",
    path: "/dashboard/media/:mediaId",
    probes: [{ kind: "item", params: { mediaId: "a:media" }, view: adminView((a) => `/dashboard/media/${a.media}`) }],
  },
  // engine configurations
  ...configRoutes("/dashboard/activities", "activity", "activityId", { name: "renamed" }),
  ...configRoutes("/dashboard/tags", "tag", "tagId", { priority: 7 }),
  ...configRoutes("/dashboard/virtual-currencies", "currency", "virtualCurrencyId", { name: "renamed" }),
  ...configRoutes("/dashboard/reward-rules", "rewardRule", "rewardRuleId", { name: "renamed" }),
  ...configRoutes("/dashboard/badge-configurations", "badge", "badgeConfigurationId", { name: "renamed" }, true),
  ...configRoutes("/dashboard/mission-configurations", "missionConfiguration", "missionConfigurationId", {
    name: "renamed",
  }),
  ...configRoutes("/dashboard/mission-rules", "missionRule", "missionRuleId", { name: "renamed" }),
  ...configRoutes("/dashboard/streak-configurations", "streakConfiguration", "streakConfigurationId", {
    name: "renamed",
    ...en,
  }),
  ...configRoutes("/dashboard/streak-rules", "streakRule", "streakRuleId", { name: "renamed" }),
  // missions, users, wallet
  { method: "POST", path: "/dashboard/missions", probes: [{ kind: "create" }] },
  { method: "POST", path: "/dashboard/users", probes: [{ kind: "create" }] },
  {
    method: "GET",
    path: "/dashboard/users/by-external-id/:externalId",
    probes: [{ kind: "item", params: { externalId: "a:externalId" } }],
  },
  { method: "GET", path: "/dashboard/users/:userId", probes: [{ kind: "item", params: { userId: "a:userId" } }] },
  {
    method: "GET",
    path: "/dashboard/users/:userId/tags",
    probes: [{ kind: "item", params: { userId: "a:userId" } }],
  },
  {
    method: "PUT",
    path: "/dashboard/users/:userId/tags",
    body: (own) => ({ tags: [own.tag] }),
    probes: [
      { kind: "item", params: { userId: "a:userId" }, view: adminView((a) => `/dashboard/users/${a.userId}`) },
      { kind: "create" },
    ],
  },
  {
    method: "POST",
    path: "/dashboard/users/:userId/tags/:tagId",
    probes: [
      {
        kind: "item",
        params: { userId: "a:userId", tagId: "own:tag" },
        view: adminView((a) => `/dashboard/users/${a.userId}`),
      },
      { kind: "item", params: { userId: "own:userId", tagId: "a:tag" }, missing: 400 },
    ],
  },
  {
    method: "DELETE",
    path: "/dashboard/users/:userId/tags/:tagId",
    probes: [
      {
        kind: "item",
        params: { userId: "a:userId", tagId: "own:tag" },
        view: adminView((a) => `/dashboard/users/${a.userId}`),
      },
      {
        kind: "item",
        params: { userId: "a:userId", tagId: "a:tag" },
        view: adminView((a) => `/dashboard/users/${a.userId}`),
      },
      { kind: "item", params: { userId: "own:userId", tagId: "a:tag" }, missing: 204 },
    ],
  },
  { method: "POST", path: "/dashboard/virtual-transactions", probes: [{ kind: "create" }] },
  { method: "POST", path: "/app/activity-logs", probes: [{ kind: "create" }] },
  { method: "GET", path: "/app/activity-logs", probes: [{ kind: "list" }] },
  { method: "GET", path: "/app/activity-logs/:activityLogId", probes: appItem("activityLogId", "activityLog") },
  { method: "GET", path: "/app/missions", probes: [{ kind: "list" }] },
  { method: "GET", path: "/app/missions/:missionId", probes: appItem("missionId", "mission") },
  { method: "GET", path: "/app/badges", probes: [{ kind: "list" }, { kind: "list", query: "fields=badgeLogs" }] },
  { method: "GET", path: "/app/badges/:badgeConfigurationId", probes: appItem("badgeConfigurationId", "badge") },
  { method: "GET", path: "/app/virtual-balances", probes: [{ kind: "list" }] },
  {
    method: "GET",
    path: "/app/virtual-balances/:virtualCurrencyId",
    probes: appItem("virtualCurrencyId", "currency"),
  },
  { method: "GET", path: "/app/virtual-transactions", probes: [{ kind: "list" }] },
  { method: "POST", path: "/app/virtual-transactions", probes: [{ kind: "create" }] },
  {
    method: "POST",
    path: "/app/virtual-transactions/history/search",
    body: () => ({}),
    probes: [{ kind: "list" }, { kind: "create" }],
  },
  {
    method: "GET",
    path: "/app/virtual-transactions/:virtualTransactionId",
    probes: appItem("virtualTransactionId", "transaction"),
  },
  {
    method: "POST",
    path: "/app/virtual-transactions/:virtualTransactionId/redeem",
    probes: appItem(
      "virtualTransactionId",
      "transaction",
      userView((a) => `/app/virtual-transactions/${a.transaction}`),
    ),
  },
  { method: "GET", path: "/app/users/me", probes: [{ kind: "self" }] },
  { method: "GET", path: "/app/streaks", probes: [{ kind: "list" }, { kind: "create" }] },
  { method: "GET", path: "/app/streaks/:streakId", probes: appItem("streakId", "streak") },
  { method: "GET", path: "/dashboard/authorization/schema", probes: [{ kind: "list" }] },
  { method: "GET", path: "/dashboard/authorization/default-policies", probes: [{ kind: "list" }] },
  { method: "GET", path: "/dashboard/authorization/policies", probes: [{ kind: "list" }] },
  { method: "POST", path: "/dashboard/authorization/policies", probes: [{ kind: "create" }] },
  // The caller's own workspace's flags: the answer names only B's workspace.
  { method: "GET", path: "/app/flags", probes: [{ kind: "list" }] },
  { method: "GET", path: "/dashboard/flags", probes: [{ kind: "list" }] },
  ...(() => {
    const view = adminView((a) => `/dashboard/authorization/policies/${a.policy}`);
    const item: Probe[] = [{ kind: "item", params: { policyId: "a:policy" }, view }];
    return [
      { method: "GET" as const, path: "/dashboard/authorization/policies/:policyId", probes: item },
      {
        method: "PUT" as const,
        path: "/dashboard/authorization/policies/:policyId",
        body: () => ({
          description: "changed",
          statement: 'forbid (principal, action in Questline::Action::"BalanceWrite", resource);',
        }),
        probes: item,
      },
      { method: "DELETE" as const, path: "/dashboard/authorization/policies/:policyId", probes: item },
    ];
  })(),
  { method: "POST", path: "/dashboard/webhooks/endpoints", probes: [{ kind: "create" }] },
  { method: "GET", path: "/dashboard/webhooks/endpoints", probes: [{ kind: "list" }] },
  ...(() => {
    const base = "/dashboard/webhooks/endpoints/:endpointId";
    const view = adminView((a) => `/dashboard/webhooks/endpoints/${a.webhookEndpoint}`);
    const deliveries = adminView((a) => `/dashboard/webhooks/endpoints/${a.webhookEndpoint}/deliveries`);
    const item: Probe[] = [{ kind: "item", params: { endpointId: "a:webhookEndpoint" }, view }];
    const logged: Probe[] = [{ kind: "item", params: { endpointId: "a:webhookEndpoint" }, view: deliveries }];
    const retried: Probe[] = [
      { kind: "item", params: { endpointId: "a:webhookEndpoint", deliveryId: "a:webhookDelivery" }, view: deliveries },
      {
        kind: "item",
        params: { endpointId: "own:webhookEndpoint", deliveryId: "a:webhookDelivery" },
        view: deliveries,
      },
    ];
    return [
      { method: "GET" as const, path: base, probes: item },
      { method: "PATCH" as const, path: base, body: () => ({ description: "changed", enabled: false }), probes: item },
      { method: "DELETE" as const, path: base, probes: item },
      { method: "POST" as const, path: `${base}/rotate-secret`, probes: item },
      { method: "POST" as const, path: `${base}/test`, probes: logged },
      { method: "GET" as const, path: `${base}/deliveries`, probes: logged },
      {
        method: "POST" as const,
        path: `${base}/deliveries/:deliveryId/retry`,
        probes: retried,
      },
    ];
  })(),
];

export function routeKey(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}

/** Fills the pattern's params. */
export function fillPath(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${pattern}`);
    return encodeURIComponent(value);
  });
}

/** The context a route belongs to. */
export function contextOf(path: string): "dashboard" | "app" {
  return path.startsWith("/dashboard/") ? "dashboard" : "app";
}
