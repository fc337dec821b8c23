import { QuestlineError } from "@questline/contracts";
import { Hono } from "hono";
import { z } from "zod";
import type { CoreEnv } from "../http/env";
import { readQuery } from "../http/validation";
import { resourceRoutes } from "../records/resource-routes";
import { actingUserId } from "../users/acting-user";
import { type CalendarPeriodType, periodsStartingIn } from "./calendar";
import { goalProgress } from "./evaluate";
import { streakConfigurationResource, streakRuleResource } from "./model";
import { streakPeriodAt } from "./periods";
import { ruleState } from "./plan";
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
    lastContributingDay: item.lastContributingPeriodId,
    lastPeriod: item.lastPeriod,
    timezone: s.zone,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    ...(live
      ? {
          streakConfiguration: { streakConfigurationId: live.configId, ...live.config },
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

const listQuery = z.object({
  streakRuleId: z.string().min(1).max(64).optional(),
  status: z.enum(["ACTIVE", "COMPLETED", "BROKEN", "ENDED"]).optional(),
});

const recordsQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  periodType: z.enum(["DAY", "WEEK", "MONTH", "YEAR"]).optional(),
});

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
  const routes = new Hono<CoreEnv>();
  routes.get("/", async (c) => {
    const userId = await actingUserId(c);
    const query = readQuery(c, listQuery);
    const now = new Date();
    const items = (await listUserStreaks(c.get("identity").workspaceId, userId, now))
      .filter((s) => !query.streakRuleId || s.item.streakRuleId === query.streakRuleId)
      .map((s) => toStreakResponse(s, now))
      .filter((s) => !query.status || s.status === query.status);
    return c.json({ items, nextToken: null });
  });
  routes.get("/:streakId", async (c) => {
    const userId = await actingUserId(c);
    const query = readQuery(c, recordsQuery);
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
