import { encodePointer } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { ContractDocument, HTTP_METHODS, type OpenApiDocument } from "./contract";
import { questlineDocument, referenceDocuments } from "./documents";
import { type PendingMismatch, pendingFor } from "./pending";
import { ContractViolationError, type Violation, validatingFetch } from "./validating-fetch";

const error = {
  type: "object",
  required: ["error"],
  properties: { error: { type: "object", required: ["code"], properties: { code: { type: "string" } } } },
};

const ours: OpenApiDocument = {
  openapi: "3.1.0",
  servers: [{ url: "https://{host}/v1", variables: { host: { default: "api.example" } } }],
  paths: {
    "/app/quizzes/{quizId}": {
      get: {
        operationId: "getQuiz",
        responses: {
          "200": {
            description: "ok",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Quiz" } } },
          },
          "404": { $ref: "#/components/responses/NotFound" },
        },
      },
    },
    "/app/quizzes/featured": {
      get: {
        operationId: "getFeatured",
        responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "array" } } } } },
      },
    },
    "/files/{name}": {
      get: { operationId: "getFile", responses: { "200": { description: "a file", content: { "image/*": {} } } } },
      delete: { operationId: "deleteFile", responses: { "204": { description: "gone" } } },
    },
  },
  components: {
    schemas: {
      Quiz: {
        type: "object",
        required: ["quizId", "stage"],
        properties: {
          quizId: { type: "string" },
          stage: { type: "string", enum: ["DRAFT", "PUBLISHED"] },
          createdAt: { type: "string", format: "date-time" },
        },
      },
    },
    responses: { NotFound: { description: "missing", content: { "application/json": { schema: error } } } },
  },
};

const reference: OpenApiDocument = {
  openapi: "3.1.0",
  paths: {
    "/quizzes/{quizId}": {
      get: {
        operationId: "quizzes/get",
        responses: {
          "200": {
            description: "ok",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["quizId", "accountId"],
                  properties: { accountId: { type: "string" } },
                },
              },
            },
          },
          "404": { description: "missing" },
        },
      },
    },
  },
};

const document = new ContractDocument({ name: "ours.json", document: ours });
const references = [new ContractDocument({ name: "reference.json", document: reference, basePath: "/app" })];

/** A fetch answering every request with `body` (JSON unless a content-type is given). */
function answering(status: number, body: unknown, contentType: string | null = "application/json") {
  return async (_input: string, _init?: RequestInit) =>
    new Response(body === null ? null : typeof body === "string" ? body : JSON.stringify(body), {
      status,
      headers: contentType ? { "content-type": contentType } : {},
    });
}

async function violationOf(promise: Promise<unknown>): Promise<Violation> {
  const thrown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(thrown).toBeInstanceOf(ContractViolationError);
  return (thrown as ContractViolationError).violation;
}

const validQuiz = { quizId: "q1", stage: "PUBLISHED", accountId: "a1", createdAt: "2026-01-01T00:00:00Z" };

describe("validatingFetch", () => {
  it("passes a response that matches both documents, and hands back a readable body", async () => {
    const fetch = validatingFetch(answering(200, validQuiz), { document, reference: references, pending: [] });
    const res = await fetch("https://api.example/v1/app/quizzes/q1");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(validQuiz);
  });

  it("fails an off-schema body with the operation, the status and the JSON pointer of the failure", async () => {
    const fetch = validatingFetch(answering(200, { ...validQuiz, stage: "LIVE" }), { document, pending: [] });
    const violation = await violationOf(fetch("https://api.example/v1/app/quizzes/q1"));
    expect(violation).toMatchObject({
      against: "document",
      status: 200,
      operation: { method: "GET", path: "/app/quizzes/{quizId}", operationId: "getQuiz" },
    });
    expect(violation.mismatches.map((m) => m.pointer)).toEqual(["/stage"]);
    const message = await fetch("https://api.example/v1/app/quizzes/q1").catch((e: Error) => e.message);
    expect(message).toContain("GET /app/quizzes/{quizId} (getQuiz) → 200");
    expect(message).toContain("at /stage:");
  });

  it("checks formats and nested required fields", async () => {
    const fetch = validatingFetch(answering(200, { quizId: "q1", stage: "DRAFT", createdAt: "now" }), {
      document,
      pending: [],
    });
    const violation = await violationOf(fetch("https://api.example/v1/app/quizzes/q1"));
    expect(violation.mismatches.map((m) => m.pointer)).toEqual(["/createdAt"]);
  });

  it("fails an undocumented route, an undocumented method and an undocumented status", async () => {
    const fetch = validatingFetch(answering(200, validQuiz), { document, pending: [] });
    const route = await violationOf(fetch("https://api.example/v1/app/missions"));
    expect(route.mismatches[0]?.message).toContain("undocumented route: no operation for GET /v1/app/missions");
    const method = await violationOf(fetch("https://api.example/v1/app/quizzes/q1", { method: "DELETE" }));
    expect(method.operation).toBeUndefined();
    const status = await violationOf(
      validatingFetch(answering(500, { error: { code: "x" } }), { document, pending: [] })(
        "https://api.example/v1/app/quizzes/q1",
      ),
    );
    expect(status.mismatches[0]?.message).toContain("status 500 is not documented (documented: 200, 404)");
  });

  it("matches literal segments before templated ones and follows response $refs", async () => {
    const featured = validatingFetch(answering(200, []), { document, pending: [] });
    expect((await featured("https://api.example/v1/app/quizzes/featured")).status).toBe(200);
    const notFound = validatingFetch(answering(404, { error: {} }), { document, pending: [] });
    const violation = await violationOf(notFound("https://api.example/v1/app/quizzes/q9"));
    expect(violation.mismatches).toEqual([expect.objectContaining({ pointer: "/error" })]);
  });

  it("checks the content type against the documented media types (ranges included)", async () => {
    const png = validatingFetch(answering(200, "\x89PNG", "image/png"), { document, pending: [] });
    expect((await png("https://api.example/v1/files/a.png")).status).toBe(200);
    const text = validatingFetch(answering(200, "hello", "text/plain"), { document, pending: [] });
    const violation = await violationOf(text("https://api.example/v1/files/a.png"));
    expect(violation.mismatches[0]?.message).toContain("content-type text/plain is not documented");
    const noBody = validatingFetch(answering(204, null, null), { document, pending: [] });
    expect((await noBody("https://api.example/v1/files/a.png", { method: "DELETE" })).status).toBe(204);
  });

  it("checks the reference where it has the operation: its success codes and its schema", async () => {
    const noAccount = validatingFetch(answering(200, { quizId: "q1", stage: "DRAFT" }), {
      document,
      reference: references,
      pending: [],
    });
    const violation = await violationOf(noAccount("https://api.example/app/quizzes/q1"));
    expect(violation).toMatchObject({ against: "reference", document: "reference.json", status: 200 });
    expect(violation.operation).toMatchObject({ path: "/app/quizzes/{quizId}", operationId: "quizzes/get" });
    expect(violation.mismatches[0]?.message).toContain("accountId");
    // An error status the reference documents without a body is not checked against it.
    const missing = validatingFetch(answering(404, { error: { code: "resource.not_found" } }), {
      document,
      reference: references,
      pending: [],
    });
    expect((await missing("https://api.example/app/quizzes/q9")).status).toBe(404);
    // An operation the reference does not have is checked against our document only.
    const featured = validatingFetch(answering(200, []), { document, reference: references, pending: [] });
    expect((await featured("https://api.example/app/quizzes/featured")).status).toBe(200);
  });

  it("tolerates only what the pending list names, and reports every violation in report mode", async () => {
    const pending: PendingMismatch[] = [{ against: "reference", path: "/app/quizzes", reason: "accountId: later" }];
    const tolerated: string[] = [];
    const fetch = validatingFetch(answering(200, { quizId: "q1", stage: "DRAFT" }), {
      document,
      reference: references,
      pending,
      onViolation: (v, entry) => tolerated.push(`${v.against}:${entry?.reason}`),
    });
    expect((await fetch("https://api.example/app/quizzes/q1")).status).toBe(200);
    expect(tolerated).toEqual(["reference:accountId: later"]);
    // The same entry does not cover our own document.
    const offSchema = validatingFetch(answering(200, { quizId: "q1" }), { document, reference: references, pending });
    expect((await violationOf(offSchema("https://api.example/app/quizzes/q1"))).against).toBe("document");

    const reported: Violation[] = [];
    const report = validatingFetch(answering(200, { quizId: 1 }), {
      document,
      reference: references,
      pending: [],
      mode: "report",
      onViolation: (v) => reported.push(v),
    });
    expect((await report("https://api.example/app/quizzes/q1")).status).toBe(200);
    expect(reported.map((v) => v.against)).toEqual(["document", "reference"]);
  });

  it("reads the request from a Request object too", async () => {
    const fetch = validatingFetch(async (_request: Request) => new Response(null, { status: 204 }), {
      document,
      pending: [],
    });
    const res = await fetch(new Request("https://api.example/v1/files/x", { method: "DELETE" }));
    expect(res.status).toBe(204);
  });
});

describe("the committed documents", () => {
  it.each([questlineDocument, ...referenceDocuments])("every response schema of $name resolves", (contract) => {
    let schemas = 0;
    for (const [path, item] of Object.entries(contract.document.paths ?? {})) {
      for (const [method, operation] of Object.entries(item)) {
        if (!(HTTP_METHODS as readonly string[]).includes(method)) continue;
        const responses = (operation as { responses?: Record<string, { content?: Record<string, unknown> }> })
          .responses;
        for (const [status, response] of Object.entries(responses ?? {})) {
          for (const mediaType of Object.keys(response.content ?? {})) {
            const pointer = `#/paths/${encodePointer(path)}/${method}/responses/${status}/content/${encodePointer(mediaType)}/schema`;
            const unresolved = contract
              .validateAt(pointer, null)
              .filter((m) => /Unresolved|no schema at/.test(m.message));
            if ((response.content?.[mediaType] as { schema?: unknown } | undefined)?.schema !== undefined) {
              expect(unresolved, `${method} ${path} ${status}`).toEqual([]);
              schemas++;
            }
          }
        }
      }
    }
    expect(schemas).toBeGreaterThan(10);
  });
});

describe("pendingFor", () => {
  const violation = (path: string, status: number, operation?: Violation["operation"]): Violation => ({
    against: "document",
    document: "ours.json",
    method: "GET",
    path,
    status,
    mismatches: [],
    body: "",
    ...(operation ? { operation } : {}),
  });

  it("matches whole segments, templated segments, exact paths and statuses", () => {
    const list: PendingMismatch[] = [
      { against: "document", path: "/app/missions", reason: "a" },
      { against: "document", path: "/app/{any}/__fail", reason: "b" },
      { against: "document", path: "/dashboard/", exact: true, status: [401], reason: "c" },
    ];
    expect(pendingFor(violation("/app/missions/m1/progress", 200), list)?.reason).toBe("a");
    expect(pendingFor(violation("/app/missions-archive", 200), list)).toBeUndefined();
    expect(pendingFor(violation("/app/x/__fail/500", 500), list)?.reason).toBe("b");
    expect(pendingFor(violation("/dashboard/", 401), list)?.reason).toBe("c");
    expect(pendingFor(violation("/dashboard/", 200), list)).toBeUndefined();
    expect(pendingFor(violation("/dashboard", 401), list)).toBeUndefined();
    // An operation is matched on its template.
    const op = { method: "GET", path: "/app/missions/{missionId}", operationId: "getMission" };
    expect(pendingFor(violation("/app/missions/m1", 200, op), list)?.reason).toBe("a");
    expect(pendingFor({ ...violation("/app/missions/m1", 200, op), against: "reference" }, list)).toBeUndefined();
    // A route-only entry covers the route being undocumented, not a documented operation's mismatch.
    const routeOnly: PendingMismatch[] = [
      { against: "document", path: "/app/missions", undocumentedRoute: true, reason: "d" },
    ];
    expect(pendingFor(violation("/app/missions/m1", 200), routeOnly)?.reason).toBe("d");
    expect(pendingFor(violation("/app/missions/m1", 200, op), routeOnly)).toBeUndefined();
  });
});
