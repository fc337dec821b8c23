import { describe, expect, it } from "vitest";
import {
  catchUp,
  contribute,
  EMPTY_STREAK,
  evaluateAt,
  goalProgress,
  type StreakRuleShape,
  type StreakState,
} from "./evaluate";
import { periodsBetween, streakPeriodAt } from "./periods";

const daily = { cadence: "DAY" as const, goalTargets: [3, 7], freezeEnabled: true };

function run(zone: string, instants: string[], freezes = 0, rule: StreakRuleShape = daily): StreakState {
  let state = EMPTY_STREAK;
  for (const at of instants) state = contribute(rule, state, new Date(at), zone, freezes).state;
  return state;
}

describe("streak periods in the user's zone", () => {
  it("uses local days across DST changes (23- and 25-hour days)", () => {
    const spring = streakPeriodAt("DAY", new Date("2025-03-30T12:00:00Z"), "Europe/Rome");
    expect(spring).toEqual({
      periodId: "2025-03-30",
      startsAt: "2025-03-29T23:00:00.000Z",
      endsAt: "2025-03-30T22:00:00.000Z",
    });
    const autumn = streakPeriodAt("DAY", new Date("2025-10-26T12:00:00Z"), "Europe/Rome");
    expect(Date.parse(autumn.endsAt) - Date.parse(autumn.startsAt)).toBe(25 * 3600_000);
    // 23:30 local on the short day and 00:30 local the next day are consecutive days
    expect(run("Europe/Rome", ["2025-03-30T21:30:00Z", "2025-03-30T22:30:00Z"]).count).toBe(2);
    expect(run("Europe/Rome", ["2025-10-25T21:30:00Z", "2025-10-26T22:30:00Z"]).count).toBe(2);
    // 00:30 local on the 27th is two days after the 25th: the 26th was missed
    expect(run("Europe/Rome", ["2025-10-25T21:30:00Z", "2025-10-26T23:30:00Z"])).toMatchObject({
      count: 1,
      longest: 1,
    });
  });

  it("puts the same instant on different days either side of the date line", () => {
    const at = new Date("2025-06-01T11:00:00Z");
    expect(streakPeriodAt("DAY", at, "Pacific/Kiritimati").periodId).toBe("2025-06-02");
    expect(streakPeriodAt("DAY", at, "Pacific/Pago_Pago").periodId).toBe("2025-06-01");
    // two actions 23 hours apart: consecutive days in Kiritimati (UTC+14), the same day in Pago Pago (UTC-11)
    const actions = ["2025-06-01T11:30:00Z", "2025-06-02T10:30:00Z"];
    expect(run("Pacific/Kiritimati", actions).count).toBe(2);
    expect(run("Pacific/Pago_Pago", actions).count).toBe(1);
  });

  it("does not count a day the zone skipped (Samoa, 2011-12-30) as missed", () => {
    const zone = "Pacific/Apia";
    const dec29 = streakPeriodAt("DAY", new Date("2011-12-29T12:00:00-10:00"), zone);
    const dec31 = streakPeriodAt("DAY", new Date("2011-12-31T12:00:00+14:00"), zone);
    expect([dec29.periodId, dec31.periodId]).toEqual(["2011-12-29", "2011-12-31"]);
    expect(periodsBetween("DAY", dec29, dec31, zone)).toEqual([]);
    expect(run(zone, ["2011-12-29T12:00:00-10:00", "2011-12-31T12:00:00+14:00"]).count).toBe(2);
  });

  it("uses ISO weeks for the WEEK cadence", () => {
    const weekly = { cadence: "WEEK" as const, goalTargets: [], freezeEnabled: false };
    expect(streakPeriodAt("WEEK", new Date("2025-12-29T12:00:00Z"), "UTC").periodId).toBe("2026-W01");
    const state = run("UTC", ["2025-12-22T10:00:00Z", "2025-12-28T10:00:00Z", "2025-12-29T10:00:00Z"], 0, weekly);
    expect(state).toMatchObject({ count: 2, lastContributingPeriodId: "2026-W01" });
  });
});

describe("streak evaluation", () => {
  it("counts one action per period", () => {
    const state = run("UTC", ["2025-01-01T01:00:00Z", "2025-01-01T05:00:00Z", "2025-01-01T23:59:59Z"]);
    expect(state).toMatchObject({ count: 1, longest: 1, lastContributingPeriodId: "2025-01-01" });
  });

  it("covers missed days with freezes when the user can pay for all of them, else breaks without charging", () => {
    const before = run("UTC", ["2025-01-01T10:00:00Z", "2025-01-02T10:00:00Z"]);
    const covered = contribute(daily, before, new Date("2025-01-05T10:00:00Z"), "UTC", 2);
    expect(covered.catchUp.frozen.map((p) => p.periodId)).toEqual(["2025-01-03", "2025-01-04"]);
    expect(covered.state).toMatchObject({ count: 3, freezesUsed: 2 });
    const broken = contribute(daily, before, new Date("2025-01-05T10:00:00Z"), "UTC", 1);
    expect(broken.catchUp).toMatchObject({ broke: true, frozen: [] });
    expect(broken.state).toMatchObject({ count: 1, longest: 2, status: "ACTIVE" });
    const noFreezes = contribute(
      { ...daily, freezeEnabled: false },
      before,
      new Date("2025-01-04T10:00:00Z"),
      "UTC",
      9,
    );
    expect(noFreezes.catchUp.broke).toBe(true);
  });

  it("gives the same result evaluated at the period end or lazily on a later read", () => {
    const state = run("Asia/Tokyo", ["2025-01-01T03:00:00Z"]);
    // scheduled: right after 2025-01-02 ended in Tokyo; lazy: days later
    const scheduled = evaluateAt(daily, state, new Date("2025-01-02T15:00:01Z"), "Asia/Tokyo", 0);
    const lazy = evaluateAt(daily, state, new Date("2025-01-09T00:00:00Z"), "Asia/Tokyo", 0);
    expect(scheduled.state).toEqual(lazy.state);
    expect(lazy.state).toMatchObject({ status: "BROKEN", count: 0, longest: 1 });
    // still inside the next day: nothing missed yet
    expect(evaluateAt(daily, state, new Date("2025-01-02T14:00:00Z"), "Asia/Tokyo", 0).state).toEqual(state);
    // settling again changes nothing (idempotent)
    expect(
      catchUp(daily, lazy.state, streakPeriodAt("DAY", new Date("2025-01-09T00:00:00Z"), "Asia/Tokyo"), "Asia/Tokyo", 0)
        .state,
    ).toEqual(lazy.state);
  });

  it("tracks goal targets in cycles", () => {
    expect(goalProgress([7, 3], 2)).toEqual({
      iteration: 1,
      progress: 2,
      target: 3,
      goalIndex: 1,
      cycleCompleted: false,
    });
    expect(goalProgress([7, 3], 7)).toMatchObject({ iteration: 1, progress: 7, cycleCompleted: true });
    expect(goalProgress([7, 3], 8)).toMatchObject({ iteration: 2, progress: 1, target: 3 });
    const days = Array.from({ length: 7 }, (_, i) => `2025-01-0${i + 1}T10:00:00Z`);
    expect(run("UTC", days)).toMatchObject({ count: 7, status: "COMPLETED" });
  });
});
