import type { AppliedEvent, RuleUser } from "../events/types";
import type { LiveConfig, LiveEntry } from "../records/live";
import { evaluateCondition } from "../rules/jsonlogic";
import { matchesEntity } from "../rules/matching";
import { periodAt, resolveZone } from "../rules/timeframe";
import { type Mission, newMission, ruleMissionId } from "./instance";
import type { MissionConfigurationData, MissionRuleData } from "./model";

/**
 * Mission assignment by rules. LAZY rules assign when the user lists missions; EVENT rules
 * when a matching event is applied. One mission per (rule, configuration, user, period): the
 * mission id is derived from them and created with `attribute_not_exists`, so no interleaving
 * creates duplicates. Only rules of the current ACTIVE period assign. A GROUP rule assigns one
 * mission per (rule, configuration, period) to its group, shared by everyone carrying
 * `groupTagId`: a member's listing (LAZY) or matching event (EVENT) creates it, and its
 * target is computed then, for that member.
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
    if (data.state !== "PUBLISHED" || data.assignmentMode !== trigger.mode) continue;
    const group = data.missionType === "GROUP";
    if (group && !(data.groupTagId && user.tags.includes(data.groupTagId))) continue;
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
    if (period?.state !== "ACTIVE") continue;
    if (!group && !evaluateCondition(data.usersMatchCondition, { user }, now)) continue;
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
            ...(group ? { groupTagId: data.groupTagId } : {}),
          },
          now,
        ),
      );
    }
  }
  return created;
}

/**
 * The rule's published configurations of its mission type: its pool, or those its condition
 * selects (over `{ user, missionConfiguration }`; GROUP rules: `{ missionConfiguration }`, as
 * the mission is shared, so every member sees the same selection).
 */
function poolOf(
  config: LiveConfig,
  rule: MissionRuleData,
  user: RuleUser | null,
  now: Date,
): LiveEntry<MissionConfigurationData>[] {
  const all = [...config.missionConfiguration.values()] as LiveEntry<MissionConfigurationData>[];
  const scope = rule.missionType === "GROUP" ? {} : { user };
  const candidates = rule.missionConfigurationsPool
    ? rule.missionConfigurationsPool.flatMap((id) => {
        const found = config.missionConfiguration.get(id) as LiveEntry<MissionConfigurationData> | undefined;
        return found ? [found] : [];
      })
    : all.filter((c) =>
        evaluateCondition(
          rule.missionsMatchCondition,
          { ...scope, missionConfiguration: { missionConfigurationId: c.id, ...c.data } },
          now,
        ),
      );
  return candidates.filter((c) => c.data.state === "PUBLISHED" && c.data.missionType === rule.missionType);
}

/**
 * The keys of every GROUP mission of a current period that published GROUP rules may have
 * created (any group): they depend on the configuration and the time alone (GROUP rules use a
 * FIXED zone), so the pipeline fetches them alongside the user instead of after it.
 */
export function groupMissionCandidates(config: LiveConfig, now: Date): { groupTagId: string; missionId: string }[] {
  const keys: { groupTagId: string; missionId: string }[] = [];
  // Manually assigned GROUP missions are registered in the live configuration.
  for (const entry of manualGroupMissions(config, now)) keys.push(entry);
  for (const entry of config.missionRule.values()) {
    const rule = entry as LiveEntry<MissionRuleData>;
    const data = rule.data;
    if (data.state !== "PUBLISHED" || data.missionType !== "GROUP" || !data.groupTagId) continue;
    if (data.assignmentMode === "DISABLED") continue;
    const period = periodAt(data, now, resolveZone(data, null));
    if (period?.state !== "ACTIVE") continue;
    for (const configEntry of poolOf(config, data, null, now)) {
      keys.push({ groupTagId: data.groupTagId, missionId: ruleMissionId(rule.id, configEntry.id, period.periodId) });
    }
  }
  return keys;
}

/** A manually assigned GROUP mission, as registered in the live configuration (`groupMission#<id>`). */
export interface ManualGroupMission {
  missionId: string;
  groupTagId: string;
  startsAt: string;
  endsAt?: string;
}

/** The registered manual GROUP missions not ended at `now` (a PENDING one is kept: it may start). */
export function manualGroupMissions(config: LiveConfig, now: Date): ManualGroupMission[] {
  return [...config.groupMission.values()]
    .map((entry) => entry.data as ManualGroupMission)
    .filter((m) => !m.endsAt || Date.parse(m.endsAt) > now.getTime());
}

/** The tags of published GROUP rules and of open manual GROUP missions that the user carries. */
export function userGroupTags(config: LiveConfig, user: RuleUser, now = new Date()): string[] {
  const tags = new Set<string>();
  for (const m of manualGroupMissions(config, now)) if (user.tags.includes(m.groupTagId)) tags.add(m.groupTagId);
  for (const entry of config.missionRule.values()) {
    const data = (entry as LiveEntry<MissionRuleData>).data;
    if (data.missionType === "GROUP" && data.groupTagId && user.tags.includes(data.groupTagId))
      tags.add(data.groupTagId);
  }
  return [...tags];
}
