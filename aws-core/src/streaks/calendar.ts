import { DateTime } from "luxon";
import { type Cadence, periodStartParts, type StreakPeriod, streakPeriodAt } from "./periods";

/**
 * Calendar records: one item per counted or frozen period of the rule's cadence (a DAY or a
 * WEEK record, `kind` REGULAR or FREEZE), and aggregates per week (DAY cadence only), month
 * and year that count the periods inside them (`count` = with an action, `freezeCount` = kept
 * by a freeze). Month and year hold the periods that start in them, in the user's zone.
 */
export type CalendarPeriodType = "DAY" | "WEEK" | "MONTH" | "YEAR";
export type RecordKind = "REGULAR" | "FREEZE";

export interface AggregateRef {
  periodType: CalendarPeriodType;
  periodId: string;
  startsAt: string;
  endsAt: string;
}

function localUnit(unit: "month" | "year", id: string, zone: string): AggregateRef {
  const start = DateTime.fromISO(id, { zone }).startOf(unit);
  return {
    periodType: unit === "month" ? "MONTH" : "YEAR",
    periodId: id,
    startsAt: start.toUTC().toISO()!,
    endsAt: start
      .plus(unit === "month" ? { months: 1 } : { years: 1 })
      .toUTC()
      .toISO()!,
  };
}

/** The aggregates a period of the cadence is counted in. */
export function aggregatesOf(cadence: Cadence, period: StreakPeriod, zone: string): AggregateRef[] {
  const { month, year } = periodStartParts(period, zone);
  const out: AggregateRef[] = [];
  if (cadence === "DAY") {
    const week = streakPeriodAt("WEEK", new Date(period.startsAt), zone);
    out.push({ periodType: "WEEK", periodId: week.periodId, startsAt: week.startsAt, endsAt: week.endsAt });
  }
  out.push(localUnit("month", month, zone), localUnit("year", year, zone));
  return out;
}

/** How many periods of the cadence start inside [startsAt, endsAt) (what a perfect aggregate needs). */
export function periodsStartingIn(cadence: Cadence, startsAt: string, endsAt: string, zone: string): number {
  const from = Date.parse(startsAt);
  const to = Date.parse(endsAt);
  let cursor = streakPeriodAt(cadence, new Date(from), zone);
  let n = 0;
  for (let guard = 0; guard < 400; guard++) {
    const start = Date.parse(cursor.startsAt);
    if (start >= to) break;
    if (start >= from) n++;
    cursor = streakPeriodAt(cadence, new Date(cursor.endsAt), zone);
  }
  return n;
}
