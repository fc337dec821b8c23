import { describe, expect, it } from "vitest";
import { activity, currency, missionSetup, testWorkspace, user } from "../../test/support/callers";
import { TEST_ACCOUNT_ID } from "../../test/support/identity";

const en = { defaultLang: "en", translations: [{ lang: "en", label: "X" }] };
const missionConfig = {
  name: "m",
  missionType: "INDIVIDUAL",
  matchType: "INSTANCE",
  matchEntity: "Activity",
  matchEntityId: "a1",
  matchCondition: null,
  incrementExpression: 1,
  targetAmountExpression: 5,
  ...en,
};

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect((await res.json()).error.code).toBe(code);
}

describe("dashboard records: the reference's owner fields", () => {
  it("every record and each of its translations name the record, its account, workspace, region and timestamps", async () => {
    const { admin, workspaceId } = testWorkspace();
    const body = {
      name: "run",
      defaultLang: "en",
      translations: [
        { lang: "en", label: "Run" },
        { lang: "it", label: "Corsa" },
      ],
    };
    const created = await admin.json<Record<string, unknown>>("POST", "/dashboard/activities", body, 201);
    const owner = { accountId: TEST_ACCOUNT_ID, workspaceId, sourceRegion: process.env.AWS_REGION ?? "eu-west-1" };
    expect(created).toMatchObject(owner);
    const stamps = { createdAt: created.createdAt, updatedAt: created.updatedAt };
    expect(created.translations).toEqual([
      { activityId: created.activityId, lang: "en", label: "Run", ...owner, ...stamps },
      { activityId: created.activityId, lang: "it", label: "Corsa", ...owner, ...stamps },
    ]);
    const listed = await admin.json<{ items: Record<string, unknown>[] }>("GET", "/dashboard/activities");
    expect(listed.items[0]?.translations).toEqual(created.translations);
  });
});

describe("dashboard configuration: validation and lifecycle", () => {
  it("rejects malformed JSON, unknown fields and mass assignment", async () => {
    const { admin } = testWorkspace();
    await expectError(await admin.request("POST", "/dashboard/activities", "{not json"), 400, "request.bad_json");
    await expectError(
      await admin.request("POST", "/dashboard/activities", { name: "a", ...en, workspaceId: "AAAAAAAAAA" }),
      400,
      "request.unknown_field",
    );
    await expectError(
      await admin.request("POST", "/dashboard/activities", { name: "a", ...en, version: 7 }),
      400,
      "request.unknown_field",
    );
    const list = await admin.json<{ items: unknown[] }>("GET", "/dashboard/activities");
    expect(list.items).toHaveLength(0);
  });

  it("checks JsonLogic well-formedness and match field combinations on save", async () => {
    const { admin } = testWorkspace();
    await expectError(
      await admin.request("POST", "/dashboard/mission-configurations", {
        ...missionConfig,
        incrementExpression: { nope: [1] },
      }),
      400,
      "rules.invalid_jsonlogic",
    );
    const noId = { ...missionConfig } as Record<string, unknown>;
    delete noId.matchEntityId;
    await expectError(
      await admin.request("POST", "/dashboard/mission-configurations", noId),
      400,
      "request.validation_failed",
    );
    await expectError(
      await admin.request("POST", "/dashboard/mission-configurations", { ...missionConfig, matchType: "ENTITY" }),
      400,
      "request.validation_failed",
    );
    // An INSTANCE mission must name an entity of the workspace.
    const missing = await admin.request("POST", "/dashboard/mission-configurations", missionConfig);
    await expectError(missing, 400, "request.validation_failed");
    const activityId = await activity(admin);
    const created = await admin.request("POST", "/dashboard/mission-configurations", {
      ...missionConfig,
      matchEntityId: activityId,
    });
    expect(created.status).toBe(201);
  });

  it("requires the event fields for EVENT rules and valid timeframes", async () => {
    const { admin } = testWorkspace();
    const activityId = await activity(admin);
    const { missionConfigurationId } = await missionSetup(admin, activityId, { mode: "LAZY" });
    const rule = {
      name: "r",
      missionType: "INDIVIDUAL",
      missionConfigurationsPool: [missionConfigurationId],
      timeframeType: "RECURRING",
      recurrence: "WEEKLY",
      timeframeTimezoneType: "USER",
      timeframeStartsAt: "2024-01-01T00:00:00Z",
      assignmentMode: "EVENT",
      ...en,
    };
    const res = await admin.request("POST", "/dashboard/mission-rules", rule);
    await expectError(res, 400, "request.validation_failed");
    await expectError(
      await admin.request("POST", "/dashboard/mission-rules", {
        ...rule,
        assignmentMode: "LAZY",
        recurrence: "CUSTOM",
      }),
      400,
      "request.validation_failed",
    );
    await expectError(
      await admin.request("POST", "/dashboard/mission-rules", {
        ...rule,
        assignmentMode: "LAZY",
        timeframeType: "RANGE",
      }),
      400,
      "request.validation_failed",
    );
    expect(
      (
        await admin.request("POST", "/dashboard/mission-rules", {
          ...rule,
          eventMatchType: "ENTITY",
          eventMatchEntity: "Activity",
        })
      ).status,
    ).toBe(201);
  });

  it("limits translations to 1–10 languages including the default", async () => {
    const { admin } = testWorkspace();
    const langs = ["en", "it", "de", "fr", "es", "pt", "nl", "sv", "da", "fi", "pl"];
    const eleven = langs.map((lang) => ({ lang, label: lang }));
    await expectError(
      await admin.request("POST", "/dashboard/activities", { name: "a", defaultLang: "en", translations: eleven }),
      400,
      "request.validation_failed",
    );
    await expectError(
      await admin.request("POST", "/dashboard/activities", {
        name: "a",
        defaultLang: "it",
        translations: [{ lang: "en", label: "a" }],
      }),
      400,
      "request.validation_failed",
    );
  });

  it("publishes only a draft, and a viewer cannot write", async () => {
    const { admin, viewer } = testWorkspace();
    const created = await admin.json<{ activityId: string; state: string; version: number }>(
      "POST",
      "/dashboard/activities",
      { name: "a", ...en },
      201,
    );
    expect(created).toMatchObject({ stage: "DRAFT", version: 1 });
    await expectError(
      await viewer.request("POST", `/dashboard/activities/${created.activityId}/publish`),
      403,
      "auth.forbidden",
    );
    const published = await admin.json<{ state: string; version: number }>(
      "POST",
      `/dashboard/activities/${created.activityId}/publish`,
      undefined,
      200,
    );
    expect(published).toMatchObject({ stage: "PUBLISHED", version: 2 });
    await expectError(
      await admin.request("POST", `/dashboard/activities/${created.activityId}/publish`),
      409,
      "resource.invalid_state",
    );
    const edited = await admin.json<{ hasUnpublishedChanges: boolean; version: number }>(
      "PUT",
      `/dashboard/activities/${created.activityId}`,
      { name: "b" },
      200,
    );
    expect(edited).toMatchObject({ hasUnpublishedChanges: true, version: 3 });
    expect((await admin.request("POST", `/dashboard/activities/${created.activityId}/publish`)).status).toBe(200);
  });

  it("cannot reference another workspace's entities", async () => {
    const other = testWorkspace();
    const foreignCurrency = await currency(other.admin);
    const foreignActivity = await activity(other.admin);
    const { admin, asUser } = testWorkspace();
    await expectError(
      await admin.request("POST", "/dashboard/reward-rules", {
        name: "r",
        ruleType: "ENTITY",
        matchEntity: "Activity",
        matchCondition: null,
        applicationMode: "ALWAYS",
        rewards: [{ virtualCurrencyId: foreignCurrency, redemptionMode: "AUTO", expression: 1 }],
        ...en,
      }),
      400,
      "request.validation_failed",
    );
    const me = asUser(await user(admin));
    await expectError(
      await me.request("POST", "/app/activity-logs", { activityId: foreignActivity }),
      404,
      "resource.not_found",
    );
    const logs = await me.json<{ items: unknown[] }>("GET", "/app/activity-logs");
    expect(logs.items).toHaveLength(0);
    await expectError(
      await admin.request("GET", `/dashboard/virtual-currencies/${foreignCurrency}`),
      404,
      "resource.not_found",
    );
  });
});
