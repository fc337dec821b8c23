import { describe, expect, it } from "vitest";
import { call } from "../../test/support/helpers";

describe("OpenAPI", () => {
  it("serves the merged OpenAPI 3.1 document (edge, core and media routes), and a docs page", async () => {
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
    // The media worker's routes, each naming the media host.
    const upload = doc.paths["/dashboard/media/upload-url"]?.get as { servers?: { url: string }[] } | undefined;
    expect(upload?.servers?.map((s) => s.url)).toContain("http://localhost:8788");
    expect((await call("/docs")).status).toBe(200);
  });
});
