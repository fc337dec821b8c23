import { QuestlineError } from "@questline/contracts";
import { documentedRouter, documentOperation, pageSchema } from "../http/openapi";
import { readQuery } from "../http/validation";
import { resourceRoutes } from "../records/resource-routes";
import { actingUserId } from "../users/acting-user";
import { type CalendarPeriodType, periodsStartingIn } from "./calendar";
import { goalProgress } from "./evaluate";
import { calendarWindow, checkListQuery, counterEntries, isCalendarType, pageOf, recordEntries } from "./list";
import { streakConfigurationResource, streakRuleResource } from "./model";
import { streakPeriodAt } from "./periods";
import { ruleState } from "./plan";
import { streakListItemSchema, streakListQuery, streakRecordsQuery, streakWithRecordsSchema } from "./schemas";
import { listUserStreaks, type UserStreak } from "./service";
import { loadRecords, type StreakRecord } from "./store";

export function streakConfigurationRoutes() {
  return resourceRoutes(streakConfigurationResource);
}

export function streakRuleRoutes() {
  return resourceRoutes(streakRuleResource);
}

function statusOf(s: UserStreak, now: Date) {
  if (!s.live || ruleState(s.live.rule, now) === "ENDED") return "ENDED";
  return s.item.status;
}

/** The counter as the app sees it (reference `GetStreakResponse`, periodType ITERATION, plus our fields). */
export function toStreakResponse(s: UserStreak, now: Date): Record<string, unknown> {
  const { item, live } = s;
  const goal = goalProgress(live?.rule.goalTargets ?? [], item.count);
  const translation = live?.rule.translations.find((t) => t.lang === live.rule.defaultLang);
  return {
    streakId: item.streakId,
    userId: item.userId,
    streakRuleId: item.streakRuleId,
    streakConfigurationId: item.streakConfigurationId,
    periodId: streakPeriodAt(item.cadence, now, s.zone).periodId,
    status: statusOf(s, now),
    kind: "ANY",
    cadence: item.cadence,
    metric: item.cadence === "DAY" ? "DAYS" : "WEEKS",
    count: item.count,
    longestCount: item.longest,
    freezesUsed: item.freezesUsed,
    periodType: "ITERATION",
    ...(goal
      ? {
          iterationId: goal.iteration,
          goalId: goal.goalIndex,
          target: goal.target,
          goal: { ...goal, goalTargets: live?.rule.goalTargets ?? [] },
        }
      : {}),
    ...(item.lastContributingPeriodId !== null ? { lastContributingDay: item.lastContributingPeriodId } : {}),
    lastPeriod: item.lastPeriod,
    timezone: s.zone,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    ...(live
      ? {
          streakConfiguration: { streakConfigurationId: live.configId, ...live.config, ...live.configStamps },
          freeze: {
            enabled: live.rule.freezeEnabled,
            ...(live.rule.freezeVirtualCurrencyId ? { virtualCurrencyId: live.rule.freezeVirtualCurrencyId } : {}),
          },
          ...(translation
            ? {
                translation: {
                  lang: translation.lang,
                  label: translation.name,
                  ...(translation.description ? { description: translation.description } : {}),
                },
              }
            : {}),
        }
      : {}),
  };
}

function idAt(periodType: CalendarPeriodType, at: Date, zone: string): string {
  if (periodType === "DAY" || periodType === "WEEK") return streakPeriodAt(periodType, at, zone).periodId;
  const local = at.toLocaleString("sv-SE", { timeZone: zone }).slice(0, 10);
  return periodType === "MONTH" ? local.slice(0, 7) : local.slice(0, 4);
}

function recordResponse(s: UserStreak, r: StreakRecord): Record<string, unknown> {
  const rule = s.live?.rule;
  const aggregate = r.kind === undefined;
  const perfect = (enabled: boolean | undefined) =>
    Boolean(enabled) && (r.count ?? 0) === periodsStartingIn(s.item.cadence, r.startsAt, r.endsAt, s.zone);
  return {
    streakId: r.streakId,
    periodType: r.periodType,
    periodId: r.periodId,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    kind: r.kind ?? "ANY",
    count: aggregate ? (r.count ?? 0) : 1,
    ...(aggregate ? { freezeCount: r.freezeCount ?? 0 } : {}),
    ...(r.periodType === "WEEK" && aggregate ? { perfectWeek: perfect(rule?.perfectWeekEnabled) } : {}),
    ...(r.periodType === "MONTH" ? { perfectMonth: perfect(rule?.perfectMonthEnabled) } : {}),
    ...(r.periodType === "YEAR" ? { perfectYear: perfect(rule?.perfectYearEnabled) } : {}),
  };
}

/** `/app/streaks`: the user's counters (empty ones created on the fly), settled lazily. */
export function streakAppRoutes() {
  const routes = documentedRouter();
  documentOperation(routes, {
    method: "get",
    path: "/",
    operationId: "app/streaks/list",
    tag: "Streaks",
    actingUser: true,
    summary: "List the user's streaks: their counters, goals or calendar records (`periodType`), filtered and paged",
    description:
      "`periodType` ITERATION (default) lists a counter per live streak rule the user matches, GOAL the goal each counter works toward, DAY/WEEK/MONTH/YEAR the streaks' calendar records of that type overlapping `from`..`to`. Counters of rules the user matches are created empty on first read; missed periods that are final are settled (frozen when the user can pay for the freezes, otherwise broken) before the answer. Counters come in creation order, records oldest period first; `nextToken` is valid only for the query that issued it.",
    query: streakListQuery,
    responses: { 200: { description: "The user's streaks", schema: pageSchema(streakListItemSchema) } },
  });
  documentOperation(routes, {
    method: "get",
    path: "/:streakId",
    operationId: "app/streaks/get",
    tag: "Streaks",
    actingUser: true,
    summary: "Get a streak with its calendar records (periods counted or frozen, week/month/year aggregates)",
    query: streakRecordsQuery,
    responses: { 200: { description: "The streak and its records", schema: streakWithRecordsSchema } },
  });
  routes.get("/", async (c) => {
    const userId = await actingUserId(c);
    const query = readQuery(c, streakListQuery);
    checkListQuery(query);
    const workspaceId = c.get("identity").workspaceId;
    const now = new Date();
    const streaks = (await listUserStreaks(workspaceId, userId, now)).filter(
      (s) => !query.streakRuleId || s.item.streakRuleId === query.streakRuleId,
    );
    const periodType = query.periodType;
    if (!isCalendarType(periodType)) {
      const entries = counterEntries(
        streaks.map((streak) => ({ streak, counter: toStreakResponse(streak, now) })),
        query,
      );
      return c.json(pageOf(entries, query, workspaceId, userId));
    }
    const window = calendarWindow(query, now);
    const records = await Promise.all(
      streaks.map(async (streak) => {
        const stored = await loadRecords(
          workspaceId,
          userId,
          streak.item.streakId,
          periodType,
          idAt(periodType, window.from, streak.zone),
          idAt(periodType, window.to, streak.zone),
        );
        const status = statusOf(streak, now);
        return stored.map((record) => ({ streak, record, body: recordResponse(streak, record), status }));
      }),
    );
    return c.json(pageOf(recordEntries(records.flat(), query, window), query, workspaceId, userId));
  });
  routes.get("/:streakId", async (c) => {
    const userId = await actingUserId(c);
    const query = readQuery(c, streakRecordsQuery);
    const workspaceId = c.get("identity").workspaceId;
    const now = new Date();
    const streaks = await listUserStreaks(workspaceId, userId, now);
    const streak = streaks.find((s) => s.item.streakId === c.req.param("streakId"));
    if (!streak) throw new QuestlineError("resource.not_found", `streak ${c.req.param("streakId")} not found`);
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 366 * 86_400_000);
    const types: CalendarPeriodType[] = query.periodType ? [query.periodType] : ["DAY", "WEEK", "MONTH", "YEAR"];
    const records = (
      await Promise.all(
        types.map((t) =>
          loadRecords(
            workspaceId,
            userId,
            streak.item.streakId,
            t,
            idAt(t, from, streak.zone),
            idAt(t, to, streak.zone),
          ),
        ),
      )
    ).flat();
    return c.json({ ...toStreakResponse(streak, now), records: records.map((r) => recordResponse(streak, r)) });
  });
  return routes;
}
