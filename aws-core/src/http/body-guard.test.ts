import { describe, expect, it } from "vitest";
import { activity, testWorkspace } from "../../test/support/callers";
import { CONFIG_DEFAULTS } from "../config";
import { RULE_LIMITS } from "../rules/jsonlogic";

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

/** `{"a":{"a":…}}` nested `levels` objects deep, built without recursion. */
function nested(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/** A JsonLogic condition `levels` operators deep: `{"!":[{"!":[… true …]}]}`. */
function deepRule(levels: number): unknown {
  let rule: unknown = true;
  for (let i = 0; i < levels; i++) rule = { "!": [rule] };
  return rule;
}

async function expectError(res: Response, status: number, code: string) {
  const body = (await res.json()) as { error: { code: string } };
  expect({ status: res.status, code: body.error.code }).toEqual({ status, code });
}

describe("request body limits", () => {
  it("refuses JSON nested deeper than 32 levels with 400 request.too_deep, and writes nothing", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const me = asUser("deep-1");
    const log = (additionalData: unknown) => me.request("POST", "/app/activity-logs", { activityId, additionalData });
    await expectError(await log(nested(200)), 400, "request.too_deep");
    await expectError(await log(nested(CONFIG_DEFAULTS.bodyMaxDepth)), 400, "request.too_deep");
    const logs = await me.json<{ items: unknown[] }>("GET", "/app/activity-logs", undefined, 200);
    expect(logs.items).toHaveLength(0);
    // Within the limit the same log is accepted.
    const ok = await log(nested(CONFIG_DEFAULTS.bodyMaxDepth - 3));
    expect(ok.status).toBe(200);
  });

  it("answers a rule condition nested 5,000 levels deep with a 4xx instead of overflowing the stack", async () => {
    const { admin } = testWorkspace();
    // Written as text: a value this deep is beyond JSON.stringify's own recursion.
    const condition = `${'{"!":['.repeat(5000)}true${"]}".repeat(5000)}`;
    const body = JSON.stringify({ ...missionConfig, matchCondition: "§" }).replace('"§"', condition);
    const res = await admin.request("POST", "/dashboard/mission-configurations", body);
    await expectError(res, 400, "request.too_deep");
  });

  it("limits a rule's nesting and size inside an acceptable body (rules.invalid_jsonlogic)", async () => {
    const { admin } = testWorkspace();
    const tooDeep = await admin.request("POST", "/dashboard/mission-configurations", {
      ...missionConfig,
      // 12 operators of `{"!":[…]}` are 24 JSON levels: within the body limit, beyond the rule's.
      matchCondition: deepRule(12),
    });
    const body = (await tooDeep.json()) as { error: { code: string; details: { message: string }[] } };
    expect(tooDeep.status).toBe(400);
    expect(body.error.code).toBe("rules.invalid_jsonlogic");
    expect(body.error.details[0]?.message).toContain(`deeper than ${RULE_LIMITS.maxDepth}`);

    const tooLarge = await admin.request("POST", "/dashboard/mission-configurations", {
      ...missionConfig,
      matchCondition: { or: Array.from({ length: RULE_LIMITS.maxNodes }, (_, i) => ({ "==": [i, i] })) },
    });
    await expectError(tooLarge, 400, "rules.invalid_jsonlogic");
    const list = await admin.json<{ items: unknown[] }>("GET", "/dashboard/mission-configurations");
    expect(list.items).toHaveLength(0);
  });

  it("answers a non-JSON content type with 415", async () => {
    const { admin } = testWorkspace();
    const res = await admin.request("POST", "/dashboard/activities", JSON.stringify({ name: "a", ...en }), {
      "content-type": "text/plain",
    });
    await expectError(res, 415, "request.unsupported_media_type");
    const list = await admin.json<{ items: unknown[] }>("GET", "/dashboard/activities");
    expect(list.items).toHaveLength(0);
  });

  it("answers an oversized body with 413, from the declared length or the body itself", async () => {
    const { admin } = testWorkspace();
    const big = JSON.stringify({ name: "a", ...en, description: "x".repeat(CONFIG_DEFAULTS.bodyMaxBytes) });
    await expectError(await admin.request("POST", "/dashboard/activities", big), 413, "request.too_large");
    const declared = await admin.request("POST", "/dashboard/activities", JSON.stringify({ name: "a", ...en }), {
      "content-length": String(CONFIG_DEFAULTS.bodyMaxBytes + 1),
    });
    await expectError(declared, 413, "request.too_large");
  });

  it("applies a stage's lower limits (http/body-max-bytes, http/body-max-depth) with the same errors", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const log = (additionalData: unknown) =>
      asUser("limits-1").request("POST", "/app/activity-logs", { activityId, additionalData });
    const saved = { bytes: process.env.BODY_MAX_BYTES, depth: process.env.BODY_MAX_DEPTH };
    try {
      process.env.BODY_MAX_BYTES = "2048";
      process.env.BODY_MAX_DEPTH = "8";
      const over = JSON.stringify({ name: "a", ...en, description: "x".repeat(2048) });
      const res = await admin.request("POST", "/dashboard/activities", over);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        "Request bodies are limited to 2048 bytes",
      );
      await expectError(await log(nested(9)), 400, "request.too_deep");
      expect((await log(nested(5))).status).toBe(200);
    } finally {
      for (const [name, value] of [
        ["BODY_MAX_BYTES", saved.bytes],
        ["BODY_MAX_DEPTH", saved.depth],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it("checks a viewer's right to write before looking at the body", async () => {
    const { viewer } = testWorkspace();
    await expectError(await viewer.request("POST", "/dashboard/activities", "{not json"), 403, "auth.forbidden");
    await expectError(await viewer.request("POST", "/dashboard/activities", { nope: 1 }), 403, "auth.forbidden");
  });
});
