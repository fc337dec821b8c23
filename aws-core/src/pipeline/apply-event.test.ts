import { describe, expect, it } from "vitest";
import { activity, badge, currency, missionSetup, rewardRule, testWorkspace, user } from "../../test/support/callers";
import { setPerUserSerialization } from "./serialize";

type Balance = { amount: number; availableAmount: number };
type Mission = { currentAmount: number; targetAmount: number; isCompleted: boolean; missionId: string; state: string };

describe("activity log → missions → rewards → wallet and badges", () => {
  it("applies one log: mission progress, ALWAYS reward, mission-completed reward and a badge", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const coins = await currency(admin);
    const badgeId = await badge(admin);
    const { missionConfigurationId } = await missionSetup(admin, activityId, { target: 3 });
    await rewardRule(admin, {
      ruleType: "INSTANCE",
      matchEntity: "Activity",
      matchEntityId: activityId,
      applicationMode: "ALWAYS",
      rewards: [
        { virtualCurrencyId: coins, redemptionMode: "AUTO", expression: { "*": [{ var: "event.value" }, 10] } },
      ],
    });
    await rewardRule(admin, {
      ruleType: "INSTANCE",
      matchEntity: "Mission",
      matchEntityId: missionConfigurationId,
      matchCondition: { "==": [{ var: "previousEvent.isCompleted" }, false] },
      applicationMode: "ALWAYS",
      rewards: [
        { virtualCurrencyId: coins, redemptionMode: "MANUAL", expression: 100 },
        { rewardType: "BADGE", badgeConfigurationId: badgeId },
      ],
    });
    const userId = await user(admin, { externalId: "ext-1" });
    const me = asUser(userId);

    await me.json("POST", "/app/activity-logs", { activityId, value: 2 }, 200);
    let missions = await me.json<{ items: Mission[] }>("GET", "/app/missions", undefined, 200);
    expect(missions.items).toHaveLength(1);
    expect(missions.items[0]).toMatchObject({ currentAmount: 2, targetAmount: 3, isCompleted: false, state: "ACTIVE" });

    await me.json("POST", "/app/activity-logs", { activityId, value: 5 }, 200);
    await me.json("POST", "/app/activity-logs", { activityId, value: 1 }, 200);
    missions = await me.json<{ items: Mission[] }>("GET", "/app/missions", undefined, 200);
    expect(missions.items[0]).toMatchObject({ currentAmount: 3, targetAmount: 3, isCompleted: true });

    const balance = await me.json<Balance>("GET", `/app/virtual-balances/${coins}`, undefined, 200);
    // 10 × (2 + 5 + 1) AUTO, plus the MANUAL 100 for completing the mission (pending).
    expect(balance).toMatchObject({ amount: 180, availableAmount: 80 });
    const badges = await me.json<{ items: { badgeConfigurationId: string; count: number; badgeLogs: unknown[] }[] }>(
      "GET",
      "/app/badges?fields=badgeLogs",
      undefined,
      200,
    );
    expect(badges.items).toEqual([expect.objectContaining({ badgeConfigurationId: badgeId, count: 1 })]);
    expect(badges.items[0]!.badgeLogs).toHaveLength(1);

    const pending = await me.json<{ items: { virtualTransactionId: string; state: string }[] }>(
      "POST",
      "/app/virtual-transactions/history/search",
      { filter: { state: "PENDING" } },
      200,
    );
    expect(pending.items).toHaveLength(1);
    await me.json("POST", `/app/virtual-transactions/${pending.items[0]!.virtualTransactionId}/redeem`, undefined, 200);
    expect(await me.json<Balance>("GET", `/app/virtual-balances/${coins}`, undefined, 200)).toMatchObject({
      amount: 180,
      availableAmount: 180,
    });
  });

  it("applies a log with a client-chosen id exactly once", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const coins = await currency(admin);
    await rewardRule(admin, {
      ruleType: "ENTITY",
      matchEntity: "Activity",
      applicationMode: "ALWAYS",
      rewards: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", expression: 5 }],
    });
    const me = asUser(await user(admin));
    const first = await me.request("POST", "/app/activity-logs", { activityId, activityLogId: "log-1" });
    const again = await me.request("POST", "/app/activity-logs", { activityId, activityLogId: "log-1" });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get("x-activity-log-replayed")).toBe("true");
    expect(await me.json<Balance>("GET", `/app/virtual-balances/${coins}`)).toMatchObject({ amount: 5 });
  });

  it("answers a replayed log id (no idempotency key) with the original log, applying nothing twice", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const coins = await currency(admin);
    await missionSetup(admin, activityId, { target: 10 });
    await rewardRule(admin, {
      ruleType: "ENTITY",
      matchEntity: "Activity",
      applicationMode: "ALWAYS",
      rewards: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", expression: { var: "event.value" } }],
    });
    const me = asUser(await user(admin));
    const body = { activityId, activityLogId: "client-log-1", value: 3, tags: [], additionalData: { km: 3 } };
    const first = await me.request("POST", "/app/activity-logs", body);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-activity-log-replayed")).toBeNull();
    const original = await first.json();

    // Sequential and concurrent replays, one with a different value: the stored log wins.
    const replays = [
      await me.request("POST", "/app/activity-logs", body),
      ...(await Promise.all([
        me.request("POST", "/app/activity-logs", body),
        me.request("POST", "/app/activity-logs", { ...body, value: 99 }),
      ])),
    ];
    for (const replay of replays) {
      expect(replay.status).toBe(200);
      expect(replay.headers.get("x-activity-log-replayed")).toBe("true");
      expect(await replay.json()).toEqual(original);
    }
    expect(original).toMatchObject({ activityLogId: "client-log-1", activityId, value: 3 });

    expect(await me.json<Balance>("GET", `/app/virtual-balances/${coins}`)).toMatchObject({ amount: 3 });
    const missions = await me.json<{ items: Mission[] }>("GET", "/app/missions");
    expect(missions.items[0]).toMatchObject({ currentAmount: 3, isCompleted: false });
    const logs = await me.json<{ items: { activityLogId: string }[] }>("GET", "/app/activity-logs");
    expect(logs.items.map((l) => l.activityLogId)).toEqual(["client-log-1"]);
    const ledger = await me.json<{ items: unknown[] }>("POST", "/app/virtual-transactions/history/search", {});
    expect(ledger.items).toHaveLength(1);
  });

  it("applies FALLBACK rules only when no ALWAYS rule matched", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const coins = await currency(admin);
    await rewardRule(admin, {
      ruleType: "ENTITY",
      matchEntity: "Activity",
      matchCondition: { "==": [{ var: "event.outcome" }, "SUCCESS"] },
      applicationMode: "ALWAYS",
      rewards: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", expression: 10 }],
    });
    await rewardRule(admin, {
      ruleType: "ENTITY",
      matchEntity: "Activity",
      applicationMode: "FALLBACK",
      rewards: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", expression: 1 }],
    });
    const me = asUser(await user(admin));
    await me.json("POST", "/app/activity-logs", { activityId, outcome: "SUCCESS" }, 200);
    expect(await me.json<Balance>("GET", `/app/virtual-balances/${coins}`)).toMatchObject({ amount: 10 });
    await me.json("POST", "/app/activity-logs", { activityId, outcome: "FAILURE" }, 200);
    expect(await me.json<Balance>("GET", `/app/virtual-balances/${coins}`)).toMatchObject({ amount: 11 });
  });

  it("rejects a reward that would exceed the currency maximum instead of breaking the limit", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const coins = await currency(admin, { maxAllowedBalance: 25 });
    await rewardRule(admin, {
      ruleType: "ENTITY",
      matchEntity: "Activity",
      applicationMode: "ALWAYS",
      rewards: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", expression: 10 }],
    });
    const me = asUser(await user(admin));
    for (let i = 0; i < 3; i++) await me.json("POST", "/app/activity-logs", { activityId }, 200);
    expect(await me.json<Balance>("GET", `/app/virtual-balances/${coins}`)).toMatchObject({ amount: 20 });
    const rejected = await me.json<{ items: unknown[] }>("POST", "/app/virtual-transactions/history/search", {
      filter: { state: "REJECTED" },
    });
    expect(rejected.items).toHaveLength(1);
  });

  it("does not award a badge whose configuration is archived", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const badgeId = await badge(admin);
    await rewardRule(admin, {
      ruleType: "ENTITY",
      matchEntity: "Activity",
      applicationMode: "ALWAYS",
      rewards: [{ rewardType: "BADGE", badgeConfigurationId: badgeId }],
    });
    const me = asUser(await user(admin));
    await me.json("POST", "/app/activity-logs", { activityId }, 200);
    await admin.json("POST", `/dashboard/badge-configurations/${badgeId}/archive`, undefined, 200);
    await me.json("POST", "/app/activity-logs", { activityId }, 200);
    const badges = await me.json<{ items: { count: number }[] }>("GET", "/app/badges");
    expect(badges.items[0]?.count).toBe(1);
  });

  it.each([
    ["with per-user serialization", true],
    ["with conditions alone (no in-process serialization)", false],
  ])(
    "50 concurrent logs for one user give exact progress and rewards, and complete once (%s)",
    async (_name, serialize) => {
      setPerUserSerialization(serialize);
      try {
        const { admin, asUser } = testWorkspace();
        const activityId = await activity(admin);
        const coins = await currency(admin);
        const { missionConfigurationId } = await missionSetup(admin, activityId, { target: 30 });
        await rewardRule(admin, {
          ruleType: "INSTANCE",
          matchEntity: "Activity",
          matchEntityId: activityId,
          applicationMode: "ALWAYS",
          rewards: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", expression: 2 }],
        });
        await rewardRule(admin, {
          ruleType: "INSTANCE",
          matchEntity: "Mission",
          matchEntityId: missionConfigurationId,
          applicationMode: "ALWAYS",
          rewards: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", expression: 1000 }],
        });
        const me = asUser(await user(admin));
        const responses = await Promise.all(
          Array.from({ length: 50 }, () => me.request("POST", "/app/activity-logs", { activityId, value: 1 })),
        );
        expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
        const missions = await me.json<{ items: Mission[] }>("GET", "/app/missions");
        expect(missions.items).toHaveLength(1);
        expect(missions.items[0]).toMatchObject({ currentAmount: 30, targetAmount: 30, isCompleted: true });
        // 50 × 2 for the logs + 1000 once for the completion.
        expect(await me.json<Balance>("GET", `/app/virtual-balances/${coins}`)).toMatchObject({
          amount: 1100,
          availableAmount: 1100,
        });
        const completions = await me.json<{ items: unknown[] }>("POST", "/app/virtual-transactions/history/search", {
          filter: { initiatorType: "REWARD_RULE" },
          limit: 100,
        });
        expect(completions.items).toHaveLength(51);
      } finally {
        setPerUserSerialization(true);
      }
    },
    // 100 concurrent transactions against DynamoDB Local: a generous deadline for a loaded machine.
    120_000,
  );
});
