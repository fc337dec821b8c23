import { newId } from "@questline/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { type Answer, type Caller, caller, outcome } from "./support/client";
import {
  contextOf,
  fillPath,
  type Probe,
  ROUTE_MATRIX,
  type RouteCase,
  routeKey,
  type ViewRef,
} from "./support/matrix";
import { fingerprints, type IdKey, seedWorkspace, type Workspace } from "./support/seed";

/**
 * Workspace B's identities against workspace A's ids, on every route with an id in its path:
 * the answer must be exactly the one for a random id (status and error code), carry none of
 * A's data, and leave A's entity as it was. Lists never show A's ids. App routes are called
 * as B's own user and as a B "twin" whose user id equals A's user id, so a per-user key that
 * forgot the workspace would show up.
 */
let a: Workspace;
let b: Workspace;
let twin: Caller;
const viewsBefore = new Map<string, string>();

beforeAll(async () => {
  [a, b] = await Promise.all([seedWorkspace("alpha"), seedWorkspace("beta")]);
  twin = b.asUser(a.ids.userId);
  for (const view of allViews()) viewsBefore.set(viewKey(view), await readView(view));
});

function allViews(): ViewRef[] {
  const views = ROUTE_MATRIX.flatMap((r) => r.probes.flatMap((p) => (p.kind === "item" && p.view ? [p.view] : [])));
  return [
    ...views,
    { as: "user", path: () => "/app/virtual-balances" },
    { as: "user", path: () => "/app/virtual-transactions" },
    { as: "user", path: () => "/app/activity-logs" },
    { as: "user", path: () => "/app/badges" },
    { as: "user", path: () => "/app/missions" },
    { as: "user", path: () => "/app/learning-path-assignments" },
    { as: "user", path: (ids) => `/app/runtime-leaderboards/${ids.leaderboard}/rankings/me` },
  ];
}

function viewKey(view: ViewRef): string {
  return `${view.as} ${view.path(a.ids)}`;
}

/** What A sees; request ids and timestamps of the read itself are not part of it. */
async function readView(view: ViewRef): Promise<string> {
  const who = view.as === "admin" ? a.admin : a.user;
  const answer = await who.call("GET", view.path(a.ids));
  expect(answer.status, `${viewKey(view)}: ${answer.text}`).toBe(200);
  return answer.text;
}

function expectNoneOf(answer: Answer, forbidden: readonly string[], what: string) {
  const leaked = forbidden.filter((f) => answer.text.includes(f));
  expect(leaked, `${what} answered ${answer.status} with A's data: ${answer.text}`).toEqual([]);
}

function paramValue(source: string, side: "a" | "random"): string {
  const [owner, key] = source.split(":") as ["a" | "own", IdKey];
  if (owner === "own") return b.ids[key];
  return side === "a" ? a.ids[key] : key === "externalId" ? `ext-${newId()}` : newId();
}

function bodyFor(route: RouteCase): unknown {
  return route.body?.(b.ids);
}

type ItemProbe = Extract<Probe, { kind: "item" }>;
const itemCases = ROUTE_MATRIX.flatMap((route) =>
  route.probes.flatMap((probe) =>
    probe.kind === "item"
      ? [[`${routeKey(route)} ${JSON.stringify(probe.params)}`, route, probe] as [string, RouteCase, ItemProbe]]
      : [],
  ),
);
const listCases = ROUTE_MATRIX.flatMap((route) =>
  route.probes.flatMap((probe) =>
    probe.kind === "list"
      ? [[`${routeKey(route)}${probe.query ? `?${probe.query}` : ""}`, route, probe.query] as const]
      : [],
  ),
);

function callersFor(route: RouteCase): [string, Caller][] {
  return contextOf(route.path) === "dashboard"
    ? [["B admin", b.admin]]
    : [
        ["B user", b.user],
        ["B twin of A's user", twin],
      ];
}

describe("tenant isolation: B's identity with A's ids in the path", () => {
  it.each(itemCases)("%s", async (_, route, probe) => {
    const values = (side: "a" | "random") =>
      Object.fromEntries(Object.entries(probe.params).map(([name, source]) => [name, paramValue(source, side)]));
    const aValues = values("a");
    const aPath = fillPath(route.path, aValues);
    const randomPath = fillPath(route.path, values("random"));
    const forbidden = fingerprints(a, Object.values(aValues));
    for (const [who, as] of callersFor(route)) {
      const allowed = as === twin ? forbidden.filter((f) => f !== a.ids.userId) : forbidden;
      const random = await as.call(route.method, randomPath, bodyFor(route));
      expect(random.status, `${who} ${route.method} ${randomPath}: ${random.text}`).toBe(probe.missing ?? 404);
      const foreign = await as.call(route.method, aPath, bodyFor(route));
      expect(outcome(foreign), `${who} ${route.method} ${aPath}: ${foreign.text}`).toBe(outcome(random));
      expectNoneOf(foreign, allowed, `${who} ${route.method} ${aPath}`);
    }
    if (probe.view) expect(await readView(probe.view)).toBe(viewsBefore.get(viewKey(probe.view)));
  });
});

describe("tenant isolation: B's lists and searches never contain A's ids", () => {
  it.each(listCases)("%s", async (_, route, query) => {
    const path = `${route.path}${query ? `?${query}` : ""}`;
    for (const [who, as] of callersFor(route)) {
      const answer = await as.call(route.method, path, bodyFor(route));
      expect(answer.status, `${who} ${route.method} ${path}: ${answer.text}`).toBe(200);
      const forbidden = fingerprints(a, as === twin ? [a.ids.userId] : []);
      expectNoneOf(answer, forbidden, `${who} ${route.method} ${path}`);
    }
  });

  it("B's own lists still show B's entities (the lists above are not trivially empty)", async () => {
    const activities = await b.admin.call("GET", "/dashboard/activities");
    expect(activities.text).toContain(b.ids.activity);
    const logs = await b.user.call("GET", "/app/activity-logs");
    expect(logs.text).toContain(b.ids.activityLog);
    const missions = await twin.call("GET", "/app/missions");
    expect(missions.status).toBe(200);
  });
});

describe("tenant isolation: acting-user resolution stays inside the workspace", () => {
  it("GET /app/users/me: B's twin of A's user id is not A's user", async () => {
    const random = await b.asUser(newId()).call("GET", "/app/users/me");
    expect(outcome(random)).toBe("404 resource.not_found");
    const foreign = await twin.call("GET", "/app/users/me");
    expect(outcome(foreign)).toBe(outcome(random));
    expectNoneOf(foreign, fingerprints(a, [a.ids.userId]), "twin /app/users/me");
    const own = await b.user.call("GET", "/app/users/me");
    expect(own.status).toBe(200);
    expect(own.text).toContain(b.ids.userId);
    expectNoneOf(own, fingerprints(a), "B user /app/users/me");
  });

  const appRoutes = ROUTE_MATRIX.filter((r) => contextOf(r.path) === "app");
  it.each(appRoutes.map((r) => [routeKey(r), r] as const))(
    "%s: an M2M client of B delegating to A's external user id is answered like an unknown one",
    async (_, route) => {
      const m2m = (externalUserId: string) =>
        caller({ workspaceId: b.ids.workspaceId, context: "app", clientId: "m2m", externalUserId });
      const path = fillPath(
        route.path,
        new Proxy({} as Record<string, string>, {
          get: (_target, name: string) => {
            const probe = route.probes.find((p): p is ItemProbe => p.kind === "item");
            const source = probe?.params[name];
            return source ? b.ids[source.split(":")[1] as IdKey] : newId();
          },
        }),
      );
      const random = await m2m(`ext-${newId()}`).call(route.method, path, bodyFor(route));
      expect(random.status, `${route.method} ${path}: ${random.text}`).toBeLessThan(500);
      const foreign = await m2m(a.ids.externalId).call(route.method, path, bodyFor(route));
      expect(outcome(foreign), `${route.method} ${path}: ${foreign.text}`).toBe(outcome(random));
      expectNoneOf(foreign, fingerprints(a, [a.ids.externalId]), `${route.method} ${path}`);
    },
  );
});

describe("tenant isolation: A's workspace after everything B did", () => {
  it("every view of A is unchanged", async () => {
    for (const view of allViews()) expect(await readView(view), viewKey(view)).toBe(viewsBefore.get(viewKey(view)));
  });
});
