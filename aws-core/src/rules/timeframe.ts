import { Cron } from "croner";
import { DateTime, IANAZone } from "luxon";

/**
 * Timeframes and periods. A rule's timeframe is PERMANENT, RANGE or RECURRING (DAILY,
 * WEEKLY ISO weeks, MONTHLY, or CUSTOM with a cron), in a FIXED IANA zone or in each user's
 * own zone. The state (PENDING → ACTIVE → ENDED) is a function of time, so it is right without
 * a scheduler tick. `periodId` names one period and deduplicates per-period work.
 */
export const TIMEFRAME_TYPES = ["PERMANENT", "RANGE", "RECURRING"] as const;
export type TimeframeType = (typeof TIMEFRAME_TYPES)[number];
export const TIMEZONE_TYPES = ["FIXED", "USER"] as const;
export type TimezoneType = (typeof TIMEZONE_TYPES)[number];
export const RECURRENCES = ["DAILY", "WEEKLY", "MONTHLY", "CUSTOM"] as const;
export type Recurrence = (typeof RECURRENCES)[number];
export type TimeState = "PENDING" | "ACTIVE" | "ENDED";

export interface TimeframeSpec {
  timeframeType: TimeframeType;
  timeframeTimezoneType: TimezoneType;
  timeframeTimezone?: string | undefined;
  timeframeStartsAt: string;
  timeframeEndsAt?: string | undefined;
  recurrence?: Recurrence | undefined;
  scheduleCron?: string | undefined;
}

export interface Period {
  periodId: string;
  /** ISO instants (UTC). `endsAt` is absent for PERMANENT. */
  startsAt: string;
  endsAt?: string;
  state: TimeState;
}

export const PERMANENT_PERIOD_ID = "PERMANENT";

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function isValidCron(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true });
    return true;
  } catch {
    return false;
  }
}

/** The zone periods are computed in: the rule's zone (FIXED) or the user's, falling back to UTC. */
export function resolveZone(
  spec: Pick<TimeframeSpec, "timeframeTimezoneType" | "timeframeTimezone">,
  userZone?: string | null,
): string {
  const candidate =
    spec.timeframeTimezoneType === "USER" ? (userZone ?? spec.timeframeTimezone) : spec.timeframeTimezone;
  return candidate && isValidZone(candidate) ? candidate : "UTC";
}

/** Date-times without an offset are read in `zone`; with an offset or `Z` they are absolute. */
export function parseInstant(value: string, zone: string): DateTime {
  return DateTime.fromISO(value, { zone }).toUTC();
}

function iso(dt: DateTime): string {
  return dt.toUTC().toISO({ suppressMilliseconds: false })!;
}

export function stateAt(now: Date, startsAt: string, endsAt?: string | null): TimeState {
  const t = now.getTime();
  if (t < Date.parse(startsAt)) return "PENDING";
  if (endsAt && t >= Date.parse(endsAt)) return "ENDED";
  return "ACTIVE";
}

/** The period of a recurring schedule that contains `at`, unclamped. */
function recurringPeriodAt(
  spec: TimeframeSpec,
  at: DateTime,
  zone: string,
): { id: string; start: DateTime; end: DateTime } | null {
  const local = at.setZone(zone);
  switch (spec.recurrence) {
    case "DAILY": {
      const start = local.startOf("day");
      return { id: start.toFormat("yyyy-MM-dd"), start, end: start.plus({ days: 1 }) };
    }
    case "WEEKLY": {
      const start = local.startOf("week"); // ISO week, Monday
      return { id: start.toFormat("kkkk-'W'WW"), start, end: start.plus({ weeks: 1 }) };
    }
    case "MONTHLY": {
      const start = local.startOf("month");
      return { id: start.toFormat("yyyy-MM"), start, end: start.plus({ months: 1 }) };
    }
    case "CUSTOM":
      return cronPeriodAt(spec.scheduleCron ?? "", at, zone);
    default:
      return null;
  }
}

const CRON_LOOKBACK_MS = [
  60_000,
  3_600_000,
  86_400_000,
  8 * 86_400_000,
  32 * 86_400_000,
  367 * 86_400_000,
  5 * 366 * 86_400_000,
];

/** CUSTOM periods run from one cron fire to the next; the id is the fire time. */
function cronPeriodAt(
  pattern: string,
  at: DateTime,
  zone: string,
): { id: string; start: DateTime; end: DateTime } | null {
  let cron: Cron;
  try {
    cron = new Cron(pattern, { paused: true, timezone: zone });
  } catch {
    return null;
  }
  const atMs = at.toMillis();
  for (const lookback of CRON_LOOKBACK_MS) {
    let cursor: Date | null = new Date(atMs - lookback);
    let previous: Date | null = null;
    for (let steps = 0; cursor && steps < 5_000; steps++) {
      const next: Date | null = cron.nextRun(cursor);
      if (!next || next.getTime() > atMs) {
        if (previous && next) {
          const start = DateTime.fromJSDate(previous).toUTC();
          return { id: iso(start), start, end: DateTime.fromJSDate(next).toUTC() };
        }
        break;
      }
      previous = next;
      cursor = next;
    }
  }
  return null;
}

/**
 * The period of the timeframe that is current at `now` (or the first one, when the timeframe
 * has not started; or the last one, when it has ended), with its state.
 */
export function periodAt(spec: TimeframeSpec, now: Date, zone: string): Period | null {
  const ruleStart = parseInstant(spec.timeframeStartsAt, zone);
  const ruleEnd = spec.timeframeEndsAt ? parseInstant(spec.timeframeEndsAt, zone) : null;
  if (!ruleStart.isValid || (ruleEnd && !ruleEnd.isValid)) return null;
  if (spec.timeframeType === "PERMANENT") {
    return { periodId: PERMANENT_PERIOD_ID, startsAt: iso(ruleStart), state: stateAt(now, iso(ruleStart)) };
  }
  if (spec.timeframeType === "RANGE") {
    const startsAt = iso(ruleStart);
    const endsAt = ruleEnd ? iso(ruleEnd) : undefined;
    return { periodId: startsAt, startsAt, ...(endsAt ? { endsAt } : {}), state: stateAt(now, startsAt, endsAt) };
  }
  const nowDt = DateTime.fromJSDate(now).toUTC();
  let at: DateTime = nowDt;
  if (nowDt < ruleStart) at = ruleStart;
  else if (ruleEnd && nowDt >= ruleEnd) at = ruleEnd.minus({ milliseconds: 1 });
  let period = recurringPeriodAt(spec, at, zone);
  if (!period && spec.recurrence === "CUSTOM") {
    // Before the first cron fire after the start: the first period begins at that fire.
    const first = new Cron(spec.scheduleCron ?? "", { paused: true, timezone: zone }).nextRun(ruleStart.toJSDate());
    if (!first) return null;
    period = recurringPeriodAt(spec, DateTime.fromJSDate(first).toUTC(), zone);
  }
  if (!period) return null;
  const start = DateTime.max(period.start, ruleStart);
  const end = ruleEnd && ruleEnd < period.end ? ruleEnd : period.end;
  const startsAt = iso(start);
  const endsAt = iso(end);
  return { periodId: period.id, startsAt, endsAt, state: stateAt(now, startsAt, endsAt) };
}
