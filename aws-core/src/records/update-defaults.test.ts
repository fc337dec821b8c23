import { describe, expect, it } from "vitest";
import { activity, published, testWorkspace } from "../../test/support/callers";

const en = (label: string) => ({ defaultLang: "en", translations: [{ lang: "en", label }] });

/**
 * zod's `.partial()` keeps `.default()`: a PUT omitting a defaulted field used to reset it.
 * For every entity family with a defaulted field: create with a non-default value, PUT
 * something else, and the stored value stays.
 */
describe("PUT keeps what it does not mention (no create defaults on updates)", () => {
  const cases: {
    family: string;
    path: string;
    idField: string;
    body: (ctx: { tagId: string; activityId: string; pathId: string }) => Record<string, unknown>;
    kept: (ctx: { tagId: string }) => Record<string, unknown>;
    edit: Record<string, unknown>;
  }[] = [
    {
      family: "activities (tags)",
      path: "activities",
      idField: "activityId",
      body: ({ tagId }) => ({ name: "run", tags: [tagId], ...en("Run") }),
      kept: ({ tagId }) => ({ tags: [tagId] }),
      edit: { name: "renamed" },
    },
    {
      family: "mission configurations (tags)",
      path: "mission-configurations",
      idField: "missionConfigurationId",
      body: ({ tagId, activityId }) => ({
        name: "m",
        missionType: "INDIVIDUAL",
        matchType: "INSTANCE",
        matchEntity: "Activity",
        matchEntityId: activityId,
        matchCondition: null,
        incrementExpression: 1,
        targetAmountExpression: 3,
        tags: [tagId],
        ...en("M"),
      }),
      kept: ({ tagId }) => ({ tags: [tagId] }),
      edit: { targetAmountExpression: 5 },
    },
    {
      family: "badge configurations (tags)",
      path: "badge-configurations",
      idField: "badgeConfigurationId",
      body: ({ tagId }) => ({ name: "b", image: "media-1", tags: [tagId], ...en("B") }),
      kept: ({ tagId }) => ({ tags: [tagId] }),
      edit: { name: "renamed" },
    },
    {
      family: "virtual currencies (minAllowedBalance)",
      path: "virtual-currencies",
      idField: "virtualCurrencyId",
      body: () => ({ name: "coins", minAllowedBalance: -50, ...en("Coins") }),
      kept: () => ({ minAllowedBalance: -50 }),
      edit: { name: "credits" },
    },
    {
      family: "tags (priority)",
      path: "tags",
      idField: "tagId",
      body: () => ({ namespace: "team", variant: "blue", priority: 7, ...en("Blue") }),
      kept: () => ({ priority: 7 }),
      edit: { variant: "navy" },
    },
    {
      family: "learning path rules (assignmentMode, timeframeTimezoneType)",
      path: "learning-path-rules",
      idField: "learningPathRuleId",
      body: ({ pathId }) => ({
        ruleType: "UNLOCK",
        name: "r",
        unlockLearningPathId: pathId,
        eventMatchType: "ENTITY",
        assignmentMode: "DISABLED",
        timeframeType: "PERMANENT",
        timeframeTimezoneType: "USER",
        timeframeStartsAt: "2020-01-01T00:00:00Z",
        defaultLang: "en",
        translations: [{ lang: "en", label: "R" }],
      }),
      kept: () => ({ assignmentMode: "DISABLED", timeframeTimezoneType: "USER" }),
      edit: { name: "renamed" },
    },
  ];

  it.each(cases)("$family", async ({ path, idField, body, kept, edit }) => {
    const { admin } = testWorkspace();
    const tagId = await published(admin, "tags", { namespace: "ns", variant: "v", ...en("V") }, "tagId");
    const activityId = await activity(admin);
    const path1 = await admin.json<{ learningPathId: string }>(
      "POST",
      "/dashboard/learning-paths",
      { title: "P", estimatedDuration: 1, defaultLang: "en", translations: [{ lang: "en", title: "P" }], items: [] },
      201,
    );
    const created = await admin.json<Record<string, string>>(
      "POST",
      `/dashboard/${path}`,
      body({ tagId, activityId, pathId: path1.learningPathId }),
      201,
    );
    const id = created[idField]!;
    const updated = await admin.json<Record<string, unknown>>("PUT", `/dashboard/${path}/${id}`, edit, 200);
    expect(updated).toMatchObject({ ...edit, ...kept({ tagId }) });
    const stored = await admin.json<Record<string, unknown>>("GET", `/dashboard/${path}/${id}`, undefined, 200);
    expect(stored).toMatchObject({ ...edit, ...kept({ tagId }) });
  });

  it("update schemas still refuse unknown fields", async () => {
    const { admin } = testWorkspace();
    const activityId = await activity(admin);
    await admin.json("PUT", `/dashboard/activities/${activityId}`, { nope: 1 }, 400);
  });
});
