import { DateTime } from "luxon";
import { ownerFields } from "../records/owner";
import { currentRegion } from "../records/store";
import { periodAt, resolveZone, stateAt, type TimeState } from "../rules/timeframe";
import type { LeaderboardInstance, LeaderboardSeries } from "./model";

/** The zones furthest ahead of and behind UTC: a USER-zone period spans both. */
const EARLIEST_ZONE = "Etc/GMT-14";
const LATEST_ZONE = "Etc/GMT+12";

export function instanceIdFor(seriesId: string, timeframeType: string, periodId: string): string {
  if (timeframeType !== "RECURRING") return seriesId;
  return `${seriesId}_${periodId.replace(/[^A-Za-z0-9_-]/g, "-")}`.slice(0, 64);
}

export interface ResolvedPeriod {
  instance: LeaderboardInstance;
  /** The period's bounds in the zone that applies to this user (equal to the instance's for FIXED). */
  userStartsAt: string;
  userEndsAt?: string;
  /** State of the user's period at the instant asked about. */
  state: TimeState;
}

function reinterpret(instant: string, fromZone: string, toZone: string): string {
  const wall = DateTime.fromISO(instant, { zone: "utc" }).setZone(fromZone);
  return wall.setZone(toZone, { keepLocalTime: true }).toUTC().toISO()!;
}

/**
 * The instance (period) of a series that contains `at` for a user in `userZone`. For
 * recurring USER-zone series the instance is shared by everyone whose local period has the
 * same id; its bounds run from the start in the earliest zone to the end in the latest.
 */
export function resolvePeriod(series: LeaderboardSeries, at: Date, userZone?: string | null): ResolvedPeriod | null {
  const spec = series.timeframe;
  const zone = resolveZone(spec, userZone);
  const period = periodAt(spec, at, zone);
  if (!period) return null;
  let startsAt = period.startsAt;
  let endsAt = period.endsAt;
  if (spec.timeframeType === "RECURRING" && spec.timeframeTimezoneType === "USER") {
    startsAt = reinterpret(period.startsAt, zone, EARLIEST_ZONE);
    if (period.endsAt) endsAt = reinterpret(period.endsAt, zone, LATEST_ZONE);
    const seriesStart = Date.parse(spec.timeframeStartsAt);
    if (Date.parse(startsAt) < seriesStart) startsAt = new Date(seriesStart).toISOString();
    if (spec.timeframeEndsAt && endsAt && Date.parse(endsAt) > Date.parse(spec.timeframeEndsAt)) {
      endsAt = new Date(Date.parse(spec.timeframeEndsAt)).toISOString();
    }
  }
  const config = series.configuration;
  const now = new Date().toISOString();
  const instance: LeaderboardInstance = {
    runtimeLeaderboardId: instanceIdFor(series.seriesId, spec.timeframeType, period.periodId),
    seriesId: series.seriesId,
    runtimeLeaderboardConfigurationId: series.runtimeLeaderboardConfigurationId,
    periodId: period.periodId,
    timeframeType: spec.timeframeType,
    timeframeTimezoneType: spec.timeframeTimezoneType,
    ...(spec.timeframeTimezone ? { timeframeTimezone: spec.timeframeTimezone } : {}),
    ...(spec.recurrence ? { recurrence: spec.recurrence } : {}),
    timeframeStartsAt: startsAt,
    ...(endsAt ? { timeframeEndsAt: endsAt } : {}),
    name: config.name,
    displayTopN: config.displayTopN,
    showRank: config.showRank,
    showScore: config.showScore,
    tieBreak: config.tieBreak,
    ...ownerFields({ accountId: config.accountId, workspaceId: series.workspaceId, sourceRegion: currentRegion() }),
    createdAt: now,
    updatedAt: now,
  };
  return {
    instance,
    userStartsAt: period.startsAt,
    ...(period.endsAt ? { userEndsAt: period.endsAt } : {}),
    state: period.state,
  };
}

export function instanceState(
  instance: Pick<LeaderboardInstance, "timeframeStartsAt" | "timeframeEndsAt">,
  now = new Date(),
) {
  return stateAt(now, instance.timeframeStartsAt, instance.timeframeEndsAt);
}

/** True when the series has no period left to start (its last period has ended). */
export function seriesEnded(series: LeaderboardSeries, now = new Date()): boolean {
  const end = series.timeframe.timeframeEndsAt;
  if (!end || series.timeframe.timeframeType === "PERMANENT") return false;
  // USER zones: the last local period ends up to 12 hours after the series end instant.
  return now.getTime() >= Date.parse(end) + 12 * 3600 * 1000;
}
