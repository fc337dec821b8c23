import { QuestlineError } from "@questline/contracts";
import { PK } from "../db/keys";
import { decodeNextToken, encodeNextToken } from "../db/pagination";
import type { CalendarPeriodType } from "./calendar";
import type { StreakListQuery } from "./schemas";
import type { UserStreak } from "./service";
import type { StreakRecord } from "./store";

/**
 * `GET /app/streaks` (the reference's `ListStreaks`): one list, whose entries are chosen by
 * `periodType` — ITERATION the user's counters, GOAL the goal each counter works toward,
 * DAY/WEEK/MONTH/YEAR the calendar records of the user's streaks — filtered, then paged with
 * an authenticated `nextToken` bound to the user and to the query (its filters): a token from
 * another query, user or workspace is a 400.
 *
 * Entries are ordered by a key that never changes for an entry (counters: creation, then id;
 * records: period start, then streak id), and a page starts after the last key of the one
 * before, so an entry created between two pages is not served twice and none is skipped.
 */
export interface ListEntry {
  key: string;
  body: Record<string, unknown>;
}

const CALENDAR: readonly string[] = ["DAY", "WEEK", "MONTH", "YEAR"];

export function isCalendarType(periodType: StreakListQuery["periodType"]): periodType is CalendarPeriodType {
  return CALENDAR.includes(periodType);
}

/** 400 for a combination the list cannot answer (before anything is read). */
export function checkListQuery(query: StreakListQuery): void {
  const goalFilters = (["goalId", "iterationId", "target"] as const).filter((f) => query[f] !== undefined);
  if (isCalendarType(query.periodType) && goalFilters.length > 0) {
    throw new QuestlineError(
      "request.validation_failed",
      `${goalFilters.join(", ")} apply to periodType ITERATION or GOAL, not ${query.periodType}`,
      { details: goalFilters.map((path) => ({ path, message: "only with periodType ITERATION or GOAL" })) },
    );
  }
  if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) {
    throw new QuestlineError("request.validation_failed", "from is after to", {
      details: [{ path: "from", message: "must not be after `to`" }],
    });
  }
}

/** The calendar window of a calendar-type list: `to` defaults to now, `from` to a year and a day before. */
export function calendarWindow(query: StreakListQuery, now: Date): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 366 * 86_400_000);
  return { from, to };
}

/**
 * Counters (ITERATION) or their goals (GOAL) as list entries, filtered. `counter` is the
 * counter's body as `GET /app/streaks/{id}` has it.
 */
export function counterEntries(
  streaks: readonly { streak: UserStreak; counter: Record<string, unknown> }[],
  query: StreakListQuery,
): ListEntry[] {
  const from = query.from ? Date.parse(query.from) : undefined;
  const to = query.to ? Date.parse(query.to) : undefined;
  const out: ListEntry[] = [];
  for (const { streak, counter } of streaks) {
    let body = counter;
    if (query.periodType === "GOAL") {
      const goal = counter.goal as { progress: number; target: number } | undefined;
      if (!goal) continue;
      const status = counter.status === "ACTIVE" && goal.progress === goal.target ? "COMPLETED" : counter.status;
      body = { ...counter, periodType: "GOAL", count: goal.progress, status };
    }
    if (query.status && body.status !== query.status) continue;
    if (query.goalId !== undefined && body.goalId !== query.goalId) continue;
    if (query.iterationId !== undefined && body.iterationId !== query.iterationId) continue;
    if (query.target !== undefined && body.target !== query.target) continue;
    const updated = Date.parse(streak.item.updatedAt);
    if ((from !== undefined && updated < from) || (to !== undefined && updated > to)) continue;
    out.push({ key: `${streak.item.createdAt}#${streak.item.streakId}`, body });
  }
  return out;
}

/** Calendar records as list entries: records of periods overlapping the window, with their streak's fields. */
export function recordEntries(
  records: readonly { streak: UserStreak; record: StreakRecord; body: Record<string, unknown>; status: string }[],
  query: StreakListQuery,
  window: { from: Date; to: Date },
): ListEntry[] {
  const out: ListEntry[] = [];
  for (const { streak, record, body, status } of records) {
    // The periods overlapping [from, to].
    if (Date.parse(record.startsAt) > window.to.getTime() || Date.parse(record.endsAt) <= window.from.getTime())
      continue;
    if (query.status && status !== query.status) continue;
    const { item } = streak;
    out.push({
      key: `${record.startsAt}#${item.streakId}`,
      body: {
        streakId: item.streakId,
        userId: item.userId,
        streakRuleId: item.streakRuleId,
        streakConfigurationId: item.streakConfigurationId,
        ...body,
        status,
        cadence: item.cadence,
        metric: item.cadence === "DAY" ? "DAYS" : "WEEKS",
        timezone: streak.zone,
      },
    });
  }
  return out;
}

/** The query a token is bound to: everything that selects the entries (not `limit`, not `nextToken`). */
function tokenScope(query: StreakListQuery): string {
  const { limit: _limit, nextToken: _token, fields: _fields, ...filters } = query;
  return `STREAKS\n${JSON.stringify(Object.entries(filters).sort(([a], [b]) => a.localeCompare(b)))}`;
}

/** One page of `entries` (any order: they are sorted by key here). */
export function pageOf(
  entries: ListEntry[],
  query: StreakListQuery,
  workspaceId: string,
  userId: string,
): { items: Record<string, unknown>[]; nextToken: string | null } {
  const pk = PK.user(workspaceId, userId);
  const scope = tokenScope(query);
  const start = decodeNextToken(query.nextToken, pk, scope);
  const after = typeof start?.after === "string" ? start.after : undefined;
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((e) => e.key > after);
  const page = rest.slice(0, query.limit);
  const last = page[page.length - 1];
  const more = rest.length > page.length && last !== undefined;
  return {
    items: page.map((e) => e.body),
    nextToken: more ? (encodeNextToken({ after: last.key }, pk, scope) ?? null) : null,
  };
}
