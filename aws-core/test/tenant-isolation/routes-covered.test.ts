import { describe, expect, it } from "vitest";
import { BODY_REFERENCE_ROUTES } from "./body-references.cases";
import { app } from "./support/client";
import { ROUTE_MATRIX, routeKey } from "./support/matrix";

/**
 * Middleware registrations (`app.use`) show up as `ALL` wildcard entries; they are not
 * endpoints. A documented route registers its validators and handler as one entry each.
 */
function endpoints(): string[] {
  return [...new Set(app.routes.filter((r) => !(r.method === "ALL" && r.path.endsWith("*"))).map(routeKey))].sort();
}

describe("tenant isolation: the route matrix covers every route", () => {
  it("lists exactly the registered endpoints, each once", () => {
    const table = ROUTE_MATRIX.map(routeKey);
    expect(new Set(table).size).toBe(table.length);
    expect([...table].sort()).toEqual(endpoints());
  });

  it("gives every route at least one probe, and every body-reference route its cases", () => {
    for (const route of ROUTE_MATRIX) expect(route.probes.length, routeKey(route)).toBeGreaterThan(0);
    const creates = ROUTE_MATRIX.filter((r) => r.probes.some((p) => p.kind === "create")).map(routeKey);
    expect([...creates].sort()).toEqual([...new Set(BODY_REFERENCE_ROUTES)].sort());
  });

  it("covers every path id with a probe of the other workspace's id", () => {
    for (const route of ROUTE_MATRIX) {
      const params = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
      for (const name of params) {
        const foreign = route.probes.some((p) => p.kind === "item" && p.params[name as string]?.startsWith("a:"));
        expect(foreign, `${routeKey(route)} :${name}`).toBe(true);
      }
    }
  });
});
