import { periodAt, type TimeframeSpec } from "../rules/timeframe";

/**
 * Streak periods (cadence DAY or WEEK, ISO weeks) in the user's time zone, on the engine's
 * period math: ids are `YYYY-MM-DD` / `YYYY-Www`, boundaries are local midnights, so a DST
 * change gives a 23- or 25-hour day and a day a zone skipped (Samoa, 2011-12-30) simply does
 * not exist — it can be neither counted nor missed.
 */
export type Cadence = "DAY" | "WEEK";

export interface StreakPeriod {
  periodId: string;
  startsAt: string;
  endsAt: string;
}

function spec(cadence: Cadence): TimeframeSpec {
  return {
    timeframeType: "RECURRING",
    timeframeTimezoneType: "USER",
    timeframeStartsAt: "1970-01-05T00:00:00",
    recurrence: cadence === "DAY" ? "DAILY" : "WEEKLY",
  };
}

export function streakPeriodAt(cadence: Cadence, at: Date, zone: string): StreakPeriod {
  const period = periodAt(spec(cadence), at, zone);
  if (!period?.endsAt) throw new Error(`no ${cadence} period at ${at.toISOString()} in ${zone}`);
  return { periodId: period.periodId, startsAt: period.startsAt, endsAt: period.endsAt };
}

export function nextStreakPeriod(cadence: Cadence, period: StreakPeriod, zone: string): StreakPeriod {
  return streakPeriodAt(cadence, new Date(period.endsAt), zone);
}

/** The local date of a period start (for month/year calendar records). */
export function periodStartParts(period: StreakPeriod, zone: string): { month: string; year: string } {
  const local = new Date(period.startsAt).toLocaleString("sv-SE", { timeZone: zone }).slice(0, 10);
  return { month: local.slice(0, 7), year: local.slice(0, 4) };
}

/**
 * Periods strictly between `last` and `current` (the ones the user missed), oldest first.
 * Stops after `limit` (a streak that missed that many is broken anyway).
 */
export function periodsBetween(
  cadence: Cadence,
  last: StreakPeriod,
  current: StreakPeriod,
  zone: string,
  limit = 400,
): StreakPeriod[] {
  const missed: StreakPeriod[] = [];
  let cursor = nextStreakPeriod(cadence, last, zone);
  while (Date.parse(cursor.startsAt) < Date.parse(current.startsAt) && missed.length < limit) {
    missed.push(cursor);
    cursor = nextStreakPeriod(cadence, cursor, zone);
  }
  return missed;
}
