import { describe, expect, it } from "vitest";
import { isValidCron, periodAt, resolveZone, type TimeframeSpec } from "./timeframe";

const base = {
  timeframeTimezoneType: "FIXED",
  timeframeTimezone: "UTC",
  timeframeStartsAt: "2025-01-01T00:00:00Z",
} as const;

describe("timeframes and periodId", () => {
  it("PERMANENT never ends and is PENDING before its start", () => {
    const spec: TimeframeSpec = { ...base, timeframeType: "PERMANENT" };
    expect(periodAt(spec, new Date("2030-01-01T00:00:00Z"), "UTC")).toEqual({
      periodId: "PERMANENT",
      startsAt: "2025-01-01T00:00:00.000Z",
      state: "ACTIVE",
    });
    expect(periodAt(spec, new Date("2024-12-31T23:59:59Z"), "UTC")?.state).toBe("PENDING");
  });

  it("RANGE uses its start as the periodId and ends at its end", () => {
    const spec: TimeframeSpec = { ...base, timeframeType: "RANGE", timeframeEndsAt: "2025-02-01T00:00:00Z" };
    const p = periodAt(spec, new Date("2025-01-15T00:00:00Z"), "UTC");
    expect(p).toMatchObject({
      periodId: "2025-01-01T00:00:00.000Z",
      endsAt: "2025-02-01T00:00:00.000Z",
      state: "ACTIVE",
    });
    expect(periodAt(spec, new Date("2025-02-01T00:00:00Z"), "UTC")?.state).toBe("ENDED");
  });

  it("DAILY periods follow the zone's midnight", () => {
    const spec: TimeframeSpec = { ...base, timeframeType: "RECURRING", recurrence: "DAILY" };
    // 23:30 UTC on the 10th is already the 11th in Rome (UTC+1 in March before DST).
    const rome = periodAt(spec, new Date("2025-03-10T23:30:00Z"), "Europe/Rome");
    expect(rome).toMatchObject({
      periodId: "2025-03-11",
      startsAt: "2025-03-10T23:00:00.000Z",
      endsAt: "2025-03-11T23:00:00.000Z",
      state: "ACTIVE",
    });
    expect(periodAt(spec, new Date("2025-03-10T23:30:00Z"), "UTC")?.periodId).toBe("2025-03-10");
    // DST: the 30th of March in Rome lasts 23 hours.
    const dst = periodAt(spec, new Date("2025-03-30T12:00:00Z"), "Europe/Rome");
    expect(dst).toMatchObject({ startsAt: "2025-03-29T23:00:00.000Z", endsAt: "2025-03-30T22:00:00.000Z" });
  });

  it("WEEKLY uses ISO weeks (Monday start, ISO week-year)", () => {
    const spec: TimeframeSpec = {
      ...base,
      timeframeStartsAt: "2020-01-01T00:00:00Z",
      timeframeType: "RECURRING",
      recurrence: "WEEKLY",
    };
    const p = periodAt(spec, new Date("2025-01-01T10:00:00Z"), "UTC");
    expect(p).toMatchObject({
      periodId: "2025-W01",
      startsAt: "2024-12-30T00:00:00.000Z",
      endsAt: "2025-01-06T00:00:00.000Z",
    });
    expect(periodAt(spec, new Date("2021-01-03T10:00:00Z"), "UTC")?.periodId).toBe("2020-W53");
  });

  it("MONTHLY periods are calendar months, clamped to the rule's start and end", () => {
    const spec: TimeframeSpec = {
      ...base,
      timeframeStartsAt: "2025-01-15T00:00:00Z",
      timeframeEndsAt: "2025-03-10T00:00:00Z",
      timeframeType: "RECURRING",
      recurrence: "MONTHLY",
    };
    expect(periodAt(spec, new Date("2025-01-20T00:00:00Z"), "UTC")).toMatchObject({
      periodId: "2025-01",
      startsAt: "2025-01-15T00:00:00.000Z",
    });
    expect(periodAt(spec, new Date("2025-03-05T00:00:00Z"), "UTC")).toMatchObject({
      periodId: "2025-03",
      endsAt: "2025-03-10T00:00:00.000Z",
      state: "ACTIVE",
    });
    expect(periodAt(spec, new Date("2025-04-05T00:00:00Z"), "UTC")).toMatchObject({
      periodId: "2025-03",
      state: "ENDED",
    });
    expect(periodAt(spec, new Date("2024-12-05T00:00:00Z"), "UTC")).toMatchObject({
      periodId: "2025-01",
      state: "PENDING",
    });
  });

  it("CUSTOM periods run between cron fires and are named by the fire time", () => {
    const spec: TimeframeSpec = {
      ...base,
      timeframeType: "RECURRING",
      recurrence: "CUSTOM",
      scheduleCron: "0 9 * * 1,4",
    };
    // Thursday 2025-03-13 09:00 New York (EDT, UTC-4) = 13:00Z; next fire Monday 17th 09:00 = 13:00Z.
    const p = periodAt(spec, new Date("2025-03-15T00:00:00Z"), "America/New_York");
    expect(p).toMatchObject({
      periodId: "2025-03-13T13:00:00.000Z",
      startsAt: "2025-03-13T13:00:00.000Z",
      endsAt: "2025-03-17T13:00:00.000Z",
      state: "ACTIVE",
    });
    expect(isValidCron("0 9 * * 1,4")).toBe(true);
    expect(isValidCron("not a cron")).toBe(false);
  });

  it("USER zones come from the user, FIXED from the rule", () => {
    expect(resolveZone({ timeframeTimezoneType: "USER", timeframeTimezone: "Europe/Rome" }, "Asia/Tokyo")).toBe(
      "Asia/Tokyo",
    );
    expect(resolveZone({ timeframeTimezoneType: "USER" }, null)).toBe("UTC");
    expect(resolveZone({ timeframeTimezoneType: "FIXED", timeframeTimezone: "Europe/Rome" }, "Asia/Tokyo")).toBe(
      "Europe/Rome",
    );
    expect(resolveZone({ timeframeTimezoneType: "FIXED", timeframeTimezone: "Mars/Base" }, null)).toBe("UTC");
  });
});
