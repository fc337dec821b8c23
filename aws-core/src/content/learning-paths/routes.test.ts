import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { catalogDocumentSchema, errorBodySchema, learningPathSchema } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { quizBody } from "../../../test/support/content-fixtures";
import { contractRequest } from "../../../test/support/contract";
import { identityHeaders, jsonRequest } from "../../../test/support/identity";
import { createApp } from "../../app/create-app";
import { documentDb, tableName } from "../../db/client";

const app = createApp();
/** `app.request`, every answer checked against the API document and the reference (test/support/contract.ts). */
const request = contractRequest(app);

const createBody = {
  title: "Onboarding",
  description: "First steps",
  estimatedDuration: 30,
  defaultLang: "en",
  items: [{ itemId: "quiz-1", itemType: "quiz" }],
  translations: [
    { lang: "en", title: "Onboarding", description: "First steps" },
    { lang: "it", title: "Benvenuto", description: "Primi passi" },
  ],
  tags: ["intro"],
};

/** The path's item must exist in the workspace: creates quiz `quiz-1` (once; a repeat is a 409). */
async function create(headers: Record<string, string>, body: unknown = createBody) {
  await request("/dashboard/quizzes", jsonRequest("POST", headers, quizBody({ quizId: "quiz-1" })));
  const res = await request("/dashboard/learning-paths", jsonRequest("POST", headers, body));
  return { res, body: await res.json() };
}

describe("/dashboard/learning-paths", () => {
  it("creates a DRAFT learning path (201) and stores the versioned item with its catalog document", async () => {
    const headers = identityHeaders();
    const { res, body } = await create(headers);
    expect(res.status).toBe(201);
    const lp = learningPathSchema.parse(body);
    expect(lp).toMatchObject({ stage: "DRAFT", version: 1, langs: ["en", "it"], origin: "CUSTOM" });
    expect(lp.learningPathId).toHaveLength(21);

    const stored = await documentDb().send(
      new GetCommand({
        TableName: tableName(),
        Key: { pk: `WS#${lp.workspaceId}`, sk: `LP#${lp.learningPathId}` },
      }),
    );
    expect(stored.Item).toMatchObject({ entityType: "learningPath", entityId: lp.learningPathId, version: 1 });
    const catalog = catalogDocumentSchema.parse(stored.Item?.catalog);
    expect(catalog.texts.map((t) => t.title)).toEqual(["Onboarding", "Benvenuto"]);
    expect(catalog.state).toBe("DRAFT");
  });

  it("publishes at once with publish: true", async () => {
    const { body } = await create(identityHeaders(), { ...createBody, publish: true });
    expect(body).toMatchObject({ stage: "PUBLISHED", version: 1 });
    expect(body.publishedAt).toBeTruthy();
  });

  it("accepts a client-chosen id once; the second create → 409", async () => {
    const headers = identityHeaders();
    expect((await create(headers, { ...createBody, learningPathId: "my-path" })).res.status).toBe(201);
    const again = await create(headers, { ...createBody, learningPathId: "my-path" });
    expect(again.res.status).toBe(409);
    expect(again.body.error.code).toBe("resource.conflict");
  });

  it("validates the body: unknown field and missing defaultLang translation", async () => {
    const headers = identityHeaders();
    const unknown = await create(headers, { ...createBody, colour: "red" });
    expect(unknown.res.status).toBe(400);
    expect(unknown.body.error.code).toBe("request.unknown_field");
    const noDefault = await create(headers, { ...createBody, defaultLang: "fr" });
    expect(noDefault.res.status).toBe(400);
    expect(noDefault.body.error.details[0].path).toBe("translations");
  });

  it("refuses items that name nothing in the workspace (400 naming the item), on create and update", async () => {
    const headers = identityHeaders();
    const missing = await create(headers, {
      ...createBody,
      items: [
        { itemId: "quiz-1", itemType: "quiz" },
        { itemId: "no-such-group", itemType: "learningGroup" },
        { itemId: "no-such-activity", itemType: "activity" },
      ],
    });
    expect(missing.res.status).toBe(400);
    expect(missing.body.error.code).toBe("request.validation_failed");
    expect(missing.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      "items.1.itemId",
      "items.2.itemId",
    ]);
    expect((await (await request("/dashboard/learning-paths", { headers })).json()).items).toEqual([]);

    const { body: created } = await create(headers);
    const path = `/dashboard/learning-paths/${created.learningPathId}`;
    const update = await request(
      path,
      jsonRequest("PUT", headers, { items: [{ itemId: "no-such-slide", itemType: "slide" }] }),
    );
    expect(update.status).toBe(400);
    expect((await update.json()).error.details).toEqual([
      { path: "items.0.itemId", message: "no such slide in this workspace" },
    ]);
    expect(await (await request(path, { headers })).json()).toMatchObject({ version: 1 });
  });

  it("gets, updates (version +1) and publishes (version +1)", async () => {
    const headers = identityHeaders();
    const { body: created } = await create(headers);
    const path = `/dashboard/learning-paths/${created.learningPathId}`;

    const got = await request(path, { headers });
    expect(await got.json()).toEqual(created);

    const updated = await request(path, jsonRequest("PUT", headers, { title: "Onboarding 2", estimatedDuration: 45 }));
    expect(updated.status).toBe(200);
    const u = learningPathSchema.parse(await updated.json());
    expect(u).toMatchObject({ title: "Onboarding 2", estimatedDuration: 45, version: 2, stage: "DRAFT" });
    expect(u.translations.find((t) => t.lang === "en")?.title).toBe("Onboarding 2");
    expect(u.createdAt).toBe(created.createdAt);

    const published = await request(`${path}/publish`, { method: "POST", headers });
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ stage: "PUBLISHED", version: 3 });

    const twice = await request(`${path}/publish`, { method: "POST", headers });
    expect(twice.status).toBe(409);
    expect((await twice.json()).error.code).toBe("resource.invalid_state");
  });

  it("rejects a stale If-Match version with 409 resource.conflict", async () => {
    const headers = identityHeaders();
    const { body: created } = await create(headers);
    const path = `/dashboard/learning-paths/${created.learningPathId}`;
    const ok = await request(path, jsonRequest("PUT", headers, { estimatedDuration: 1 }, { "if-match": '"1"' }));
    expect(ok.status).toBe(200);
    const stale = await request(path, jsonRequest("PUT", headers, { estimatedDuration: 2 }, { "if-match": '"1"' }));
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.code).toBe("resource.conflict");
  });

  it("lists with limit and nextToken", async () => {
    const headers = identityHeaders();
    for (let i = 0; i < 3; i++) await create(headers);
    const first = await (await request("/dashboard/learning-paths?limit=2", { headers })).json();
    expect(first.items).toHaveLength(2);
    expect(first.nextToken).toBeTruthy();
    const second = await (
      await request(`/dashboard/learning-paths?limit=2&nextToken=${first.nextToken}`, { headers })
    ).json();
    expect(second.items).toHaveLength(1);
    const ids = new Set([...first.items, ...second.items].map((lp: { learningPathId: string }) => lp.learningPathId));
    expect(ids.size).toBe(3);
  });

  it("refuses another workspace's nextToken", async () => {
    const a = identityHeaders();
    for (let i = 0; i < 2; i++) await create(a);
    const page = await (await request("/dashboard/learning-paths?limit=1", { headers: a })).json();
    const res = await request(`/dashboard/learning-paths?limit=1&nextToken=${page.nextToken}`, {
      headers: identityHeaders(),
    });
    expect(res.status).toBe(400);
  });

  it("deletes (204) and then answers 404", async () => {
    const headers = identityHeaders();
    const { body: created } = await create(headers);
    const path = `/dashboard/learning-paths/${created.learningPathId}`;
    expect((await request(path, { method: "DELETE", headers })).status).toBe(204);
    expect((await request(path, { headers })).status).toBe(404);
    expect((await request(path, { method: "DELETE", headers })).status).toBe(404);
  });

  it("treats another workspace's id exactly like a missing one", async () => {
    const owner = identityHeaders();
    const { body: created } = await create(owner);
    const stranger = identityHeaders();
    const path = `/dashboard/learning-paths/${created.learningPathId}`;
    const responses = await Promise.all([
      request(path, { headers: stranger }),
      request(path, jsonRequest("PUT", stranger, { title: "hijack" })),
      request(`${path}/publish`, { method: "POST", headers: stranger }),
      request(path, { method: "DELETE", headers: stranger }),
    ]);
    for (const res of responses) {
      expect(res.status).toBe(404);
      expect(errorBodySchema.parse(await res.json()).error.code).toBe("resource.not_found");
    }
    const list = await (await request("/dashboard/learning-paths", { headers: stranger })).json();
    expect(list.items).toEqual([]);
    const still = await (await request(path, { headers: owner })).json();
    expect(still).toMatchObject({ title: "Onboarding", version: 1 });
  });

  it("requires a writer role for writes; a viewer can read", async () => {
    const headers = identityHeaders({ role: "viewer" });
    const res = await create(headers);
    expect(res.res.status).toBe(403);
    expect((await request("/dashboard/learning-paths", { headers })).status).toBe(200);
  });
});
