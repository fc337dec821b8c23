import { describe, expect, it } from "vitest";
import { activity, currency, rewardRule, testWorkspace, user } from "../../test/support/callers";
import { createApp } from "../app/create-app";
import { EVENT_CONSUMERS } from "../app/event-pipeline";
import type { AppliedEvent } from "../events/types";
import type { EventConsumer } from "./consumer";

describe("event consumers (extension point)", () => {
  it("see every applied event in order, and run afterCommit only for the committed attempt", async () => {
    const seen: string[] = [];
    const committed: AppliedEvent[][] = [];
    const recorder: EventConsumer<{ loaded: boolean }> = {
      name: "test-recorder",
      load: async () => ({ loaded: true }),
      apply(event, ctx) {
        if (event.workspaceId !== workspaceId) return;
        expect(ctx.state.loaded).toBe(true);
        seen.push(event.type);
      },
      async afterCommit(events) {
        if (events[0]?.workspaceId === workspaceId) committed.push([...events]);
      },
    };
    const { admin, asUser, workspaceId } = testWorkspace({
      app: createApp({ consumers: [...EVENT_CONSUMERS, recorder] }),
    });
    const activityId = await activity(admin);
    const coins = await currency(admin);
    await rewardRule(admin, {
      ruleType: "ENTITY",
      matchEntity: "Activity",
      applicationMode: "ALWAYS",
      rewards: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", expression: 4 }],
    });
    const me = asUser(await user(admin));
    await me.json("POST", "/app/activity-logs", { activityId, activityLogId: "once" }, 200);
    await me.json("POST", "/app/activity-logs", { activityId, activityLogId: "once" }, 200);
    // apply runs once per planning attempt (the replay is planned, then found already applied) …
    expect(seen).toEqual(["ACTIVITY_LOG", "VIRTUAL_TRANSACTION", "ACTIVITY_LOG", "VIRTUAL_TRANSACTION"]);
    // … but only the committed attempt reaches afterCommit.
    expect(committed).toHaveLength(1);
    expect(committed[0]!.map((e) => e.type)).toEqual(["ACTIVITY_LOG", "VIRTUAL_TRANSACTION"]);
  });
});
