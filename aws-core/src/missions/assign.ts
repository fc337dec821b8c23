import { evaluateCondition } from "../engine/jsonlogic";
import type { LiveConfig, LiveEntry } from "../engine/live-config";
import { matchesEntity } from "../engine/matching";
import { periodAt, resolveZone } from "../engine/timeframe";
import type { AppliedEvent, RuleUser } from "../events/types";
import { type Mission, newMission, ruleMissionId } from "./instance";
import type { MissionConfigurationData, MissionRuleData } from "./model";

/**
 * Mission assignment by rules. LAZY rules assign when the user lists missions; EVENT rules
 * when a matching event is applied. One mission per (rule, configuration, user, period): the
 * mission id is derived from them and created with `attribute_not_exists`, so no interleaving
 * creates duplicates. Only INDIVIDUAL rules of the current ACTIVE period assign.
 */
export function planAssignments(
  config: LiveConfig,
  workspaceId: string,
  user: RuleUser,
  existing: ReadonlySet<string>,
  now: Date,
  trigger: { mode: "LAZY" } | { mode: "EVENT"; event: AppliedEvent },
): Mission[] {
  const created: Mission[] = [];
  for (const entry of config.missionRule.values()) {
    const rule = entry as LiveEntry<MissionRuleData>;
    const data = rule.data;
    if (data.state !== "PUBLISHED" || data.assignmentMode !== trigger.mode || data.missionType !== "INDIVIDUAL")
      continue;
    if (trigger.mode === "EVENT") {
      const event = trigger.event;
      const spec = {
        matchType: data.eventMatchType!,
        matchEntity: data.eventMatchEntity!,
        matchEntityId: data.eventMatchEntityId,
      };
      if (!matchesEntity(spec, event)) continue;
      if (!evaluateCondition(data.eventMatchCondition, { user, event: event.data }, now)) continue;
    }
    const period = periodAt(data, now, resolveZone(data, user.timezone));
    if (!period || period.state !== "ACTIVE") continue;
    if (!evaluateCondition(data.usersMatchCondition, { user }, now)) continue;
    for (const configEntry of poolOf(config, data, user, now)) {
      const missionId = ruleMissionId(rule.id, configEntry.id, period.periodId);
      if (existing.has(missionId)) continue;
      created.push(
        newMission(
          workspaceId,
          user,
          {
            missionId,
            config: configEntry,
            missionRuleId: rule.id,
            periodId: period.periodId,
            timeframeType: data.timeframeType,
            startsAt: period.startsAt,
            ...(period.endsAt ? { endsAt: period.endsAt } : {}),
          },
          now,
        ),
      );
    }
  }
  return created;
}

/** The rule's published INDIVIDUAL configurations: its pool, or those its condition selects. */
function poolOf(
  config: LiveConfig,
  rule: MissionRuleData,
  user: RuleUser,
  now: Date,
): LiveEntry<MissionConfigurationData>[] {
  const all = [...config.missionConfiguration.values()] as LiveEntry<MissionConfigurationData>[];
  const candidates = rule.missionConfigurationsPool
    ? rule.missionConfigurationsPool.flatMap((id) => {
        const found = config.missionConfiguration.get(id) as LiveEntry<MissionConfigurationData> | undefined;
        return found ? [found] : [];
      })
    : all.filter((c) =>
        evaluateCondition(
          rule.missionsMatchCondition,
          { user, missionConfiguration: { missionConfigurationId: c.id, ...c.data } },
          now,
        ),
      );
  return candidates.filter((c) => c.data.state === "PUBLISHED" && c.data.missionType === "INDIVIDUAL");
}
