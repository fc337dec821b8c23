import { describe, expect, it } from "vitest";
import { call } from "../../test/support/helpers";

describe("OpenAPI", () => {
  it("serves an OpenAPI 3.1 document generated from the routes, and a docs page", async () => {
    const res = await call("/openapi.json");
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/app/catalog/search",
        "/app/quizzes/{quizId}",
        "/dashboard/learning-paths",
        "/dashboard/learning-paths/{learningPathId}",
        "/dashboard/learning-paths/{learningPathId}/publish",
      ]),
    );
    expect(Object.keys(doc.paths["/dashboard/learning-paths/{learningPathId}"] ?? {}).sort()).toEqual([
      "delete",
      "get",
      "put",
    ]);
    expect(JSON.stringify(doc.paths["/dashboard/learning-paths"])).toContain("estimatedDuration");
    expect((await call("/docs")).status).toBe(200);
  });
});
