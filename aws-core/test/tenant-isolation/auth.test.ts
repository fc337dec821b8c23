import { newId, newWorkspaceId } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { type Answer, caller, errorCode, outcome } from "./support/client";
import { contextOf, fillPath, ROUTE_MATRIX, type RouteCase, routeKey } from "./support/matrix";
import type { Ids } from "./support/seed";

/**
 * Identity checks on every route: no identity → 401, the other token context → 403, a viewer
 * on a dashboard write → 403. Ids are random: these answers must not depend on any data.
 */
const workspaceId = newWorkspaceId();
const ids = new Proxy({} as Ids, { get: () => newId() });
const anonymous = caller(null);
const dashboard = caller({ workspaceId, context: "dashboard", role: "owner", userId: "owner-1" });
const appUser = caller({ workspaceId, context: "app", userId: newId() });
const viewer = caller({ workspaceId, context: "dashboard", role: "viewer", userId: "viewer-1" });

function send(who: typeof anonymous, route: RouteCase): Promise<Answer> {
  const path = fillPath(route.path, new Proxy({}, { get: () => newId() }) as Record<string, string>);
  const body = route.body?.(ids) ?? (route.method === "GET" || route.method === "DELETE" ? undefined : {});
  return who.call(route.method, path, body);
}

describe("tenant isolation: identity on every route", () => {
  it.each(ROUTE_MATRIX.map((r) => [routeKey(r), r] as const))("%s without identity → 401", async (_, route) => {
    const answer = await send(anonymous, route);
    expect(outcome(answer)).toBe("401 auth.missing_token");
  });

  it.each(ROUTE_MATRIX.map((r) => [routeKey(r), r] as const))(
    "%s with the other context's identity → 403",
    async (_, route) => {
      const answer = await send(contextOf(route.path) === "dashboard" ? appUser : dashboard, route);
      expect(outcome(answer)).toBe("403 auth.forbidden");
    },
  );

  const writes = ROUTE_MATRIX.filter((r) => contextOf(r.path) === "dashboard" && r.method !== "GET");
  it.each(writes.map((r) => [routeKey(r), r] as const))("%s as a viewer → 403", async (_, route) => {
    const answer = await send(viewer, route);
    expect(outcome(answer)).toBe("403 auth.forbidden");
    expect(errorCode(answer)).toBe("auth.forbidden");
  });
});
