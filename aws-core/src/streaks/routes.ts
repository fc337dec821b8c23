import { QuestlineError } from "@questline/contracts";
import { documentedRouter, documentOperation, pageSchema } from "../http/openapi";
import { readQuery } from "../http/validation";
import { resourceRoutes } from "../records/resource-routes";
import { actingUserId } from "../users/acting-user";
import { type CalendarPeriodType, periodsStartingIn } from "./calendar";
import { goalProgress } from "./evaluate";
import { streakConfigurationResource, streakRuleResource } from "./model";
import { streakPeriodAt } from "./periods";
import { ruleState } from "./plan";
import { streakListQuery, streakRecordsQuery, streakSchema, streakWithRecordsSchema } from "./schemas";
import { listUserStreaks, type UserStreak } from "./service";
import { loadRecords, type StreakRecord } from "./store";

export function streakConfigurationRoutes() {
  return resourceRoutes(streakConfigurationResource);
}

export function streakRuleRoutes() {
  return resourceRoutes(streakRuleResource);
}

function status(s: UserStreak, now: Date) {
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
    status: status(s, now),
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
    summary: "List the user's streaks (one page): a counter per live streak rule the user matches",
    description:
      "Counters of rules the user matches are created empty on first read; missed periods that are final are settled (frozen when the user can pay for the freezes, otherwise broken) before the answer.",
    query: streakListQuery,
    responses: { 200: { description: "The user's streaks", schema: pageSchema(streakSchema) } },
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
    const now = new Date();
    const items = (await listUserStreaks(c.get("identity").workspaceId, userId, now))
      .filter((s) => !query.streakRuleId || s.item.streakRuleId === query.streakRuleId)
      .map((s) => toStreakResponse(s, now))
      .filter((s) => !query.status || s.status === query.status);
    return c.json({ items, nextToken: null });
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
