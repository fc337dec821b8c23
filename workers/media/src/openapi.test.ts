import { describe, expect, it } from "vitest";
import { app } from "./index";
import { mediaOpenApiDocument } from "./openapi";

/** `:param` → `{param}`; the delivery route's `*` is the file key's four segments. */
function documentedPath(path: string): string {
  if (path === "/files/*") return "/files/{workspaceId}/{visibility}/{mediaId}/{fileName}";
  return path.replace(/\/$/, "").replace(/:([A-Za-z]+)/g, "{$1}");
}

describe("the media worker's OpenAPI document", () => {
  const document = mediaOpenApiDocument() as { paths: Record<string, Record<string, unknown>> };

  it("documents every route the worker serves", () => {
    const served = new Set(
      app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${documentedPath(r.path)}`),
    );
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    expect([...served].filter((op) => !documented.has(op))).toEqual([]);
    expect([...documented].filter((op) => !served.has(op))).toEqual([]);
  });

  it("names the media host and a security requirement on every operation", () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item) as [string, { servers?: unknown[]; security?: unknown[] }][]) {
        expect(op.servers?.length, `${method} ${path}`).toBeGreaterThan(0);
        expect(op.security?.length, `${method} ${path}`).toBeGreaterThan(0);
      }
    }
  });
});
