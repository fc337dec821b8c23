import { tableName } from "../db/client";
import { SK, sortKey } from "../db/keys";
import { type AppliedEvent, EVENT_TYPES, type RuleUser } from "../events/types";
import type { DerivedEvent, EventConsumer } from "../pipeline/consumer";
import type { TransactionBuilder } from "../pipeline/transaction";
import type { LiveConfig } from "../records/live";
import { groupMissionCandidates, planAssignments } from "./assign";
import {
  getGroupMissions,
  groupProgressUpdate,
  loadMissions,
  type Mission,
  missionPk,
  missionPut,
  toMissionData,
} from "./instance";
import { type MissionProgress, planProgress } from "./progress";

/**
 * The missions of one plan. Every event of the run (root and derived, in order) may assign
 * and progress missions; each touched mission is written ONCE at the end (a transaction
 * cannot touch one item twice), conditioned on the state it was loaded in.
 */
export class MissionWork {
  /** The current (planned) state of every mission the user takes part in. */
  private readonly current: Map<string, Mission>;
  /** The state as loaded, for missions that existed before this plan. */
  private readonly loaded: Map<string, Mission>;
  private readonly createdIds = new Set<string>();
  private readonly increments = new Map<string, number>();
  private readonly completedIds = new Set<string>();
  readonly progress: MissionProgress[] = [];
  readonly created: Mission[] = [];

  constructor(missions: readonly Mission[]) {
    this.current = new Map(missions.map((m) => [m.missionId, m]));
    this.loaded = new Map(this.current);
  }

  /** EVENT rules assign first (the assigning event counts), then every matching mission grows. */
  apply(config: LiveConfig, workspaceId: string, user: RuleUser, event: AppliedEvent, now: Date): MissionProgress[] {
    const assigned = planAssignments(config, workspaceId, user, new Set(this.current.keys()), now, {
      mode: "EVENT",
      event,
    });
    for (const mission of assigned) {
      this.current.set(mission.missionId, mission);
      this.createdIds.add(mission.missionId);
      this.created.push(mission);
    }
    // A mission never counts its own completion (GROUP missions keep counting past the target).
    const ownCompletion =
      event.type === EVENT_TYPES.missionCompleted ? (event.data.missionId as string | undefined) : undefined;
    const candidates = [...this.current.values()].filter((m) => m.missionId !== ownCompletion);
    const progress = planProgress(candidates, event, user, now);
    for (const p of progress) {
      this.current.set(p.after.missionId, p.after);
      this.increments.set(p.after.missionId, (this.increments.get(p.after.missionId) ?? 0) + p.increment);
      if (p.completed) this.completedIds.add(p.after.missionId);
      this.progress.push(p);
    }
    return progress;
  }

  /** One write per touched mission: created → put if absent; INDIVIDUAL → put on `rev`; GROUP → atomic ADD. */
  write(tx: TransactionBuilder): void {
    for (const [missionId, mission] of this.current) {
      if (this.createdIds.has(missionId)) {
        tx.put(missionPut({ ...mission, rev: 0 }, null), { kind: "mission", ref: missionId });
        continue;
      }
      const increment = this.increments.get(missionId);
      const before = this.loaded.get(missionId);
      if (increment === undefined || !before) continue;
      if (mission.missionType === "GROUP") {
        const update = groupProgressUpdate(before, mission, increment, this.completedIds.has(missionId));
        tx.update(update, { kind: "mission", ref: missionId });
      } else {
        tx.put(missionPut({ ...mission, rev: before.rev + 1 }, before.rev), { kind: "mission", ref: missionId });
      }
    }
  }
}

function missionLogPut(p: MissionProgress, event: AppliedEvent, user: RuleUser, at: string) {
  const group = p.after.missionType === "GROUP";
  return {
    TableName: tableName(),
    Item: {
      pk: missionPk(p.after),
      // A group's log holds contributions of many users, whose event ids may coincide.
      sk: group
        ? sortKey(SK.missionLog, p.after.missionId, user.userId, event.eventId)
        : sortKey(SK.missionLog, p.after.missionId, event.eventId),
      itemType: "MissionLog",
      ...(group ? { userId: user.userId, groupTagId: p.after.groupTagId } : {}),
      missionId: p.after.missionId,
      missionConfigurationId: p.after.missionConfigurationId,
      eventId: event.eventId,
      eventType: event.type,
      rootEventId: event.rootEventId,
      increment: p.increment,
      currentAmount: p.after.currentAmount,
      completed: p.completed,
      createdAt: at,
    },
    ConditionExpression: "attribute_not_exists(pk)",
  };
}

function missionCompletedEvent(event: AppliedEvent, p: MissionProgress): DerivedEvent {
  return {
    eventId: `${event.rootEventId}:mission:${p.after.missionId}`,
    type: EVENT_TYPES.missionCompleted,
    entityType: "Mission",
    entityId: p.after.missionConfigurationId,
    tags: p.after.tags,
    occurredAt: p.after.completedAt ?? event.occurredAt,
    data: { type: EVENT_TYPES.missionCompleted, ...toMissionData(p.after) },
    previous: toMissionData(p.before),
  };
}

/**
 * Missions, as a consumer of the event pipeline. `load` reads the user's open missions and
 * the current GROUP missions of the groups the configuration implies (one BatchGetItem, by
 * key), in parallel with every other read; each event (virtual transactions excepted) assigns
 * missions through EVENT rules and progresses every matching one, each contribution an
 * immutable mission log; a completion is a derived `MISSION_COMPLETED` event (which reward
 * rules, other missions, streaks and leaderboards see). Each touched mission is written once,
 * in `finish`.
 */
export const missionConsumer: EventConsumer<MissionWork> = {
  name: "missions",
  async load({ workspaceId, userId, now, config, user }) {
    const [own, group, rules] = await Promise.all([
      loadMissions(workspaceId, userId, now),
      config.then((c) => {
        const keys = groupMissionCandidates(c, now);
        return keys.length ? getGroupMissions(workspaceId, keys) : [];
      }),
      user,
    ]);
    return new MissionWork([...own, ...group.filter((m) => m.groupTagId && rules.tags.includes(m.groupTagId))]);
  },
  apply(event, ctx) {
    if (event.type === EVENT_TYPES.virtualTransaction) return;
    const at = ctx.now.toISOString();
    for (const p of ctx.state.apply(ctx.config, ctx.workspaceId, ctx.user, event, ctx.now)) {
      ctx.tx.put(missionLogPut(p, event, ctx.user, at), { kind: "missionLog", ref: p.after.missionId });
      if (p.completed) {
        ctx.emit(missionCompletedEvent(event, p));
        ctx.publish({
          type: "mission.completed",
          key: p.after.missionId,
          occurredAt: p.after.completedAt ?? event.occurredAt,
          data: {
            missionId: p.after.missionId,
            missionConfigurationId: p.after.missionConfigurationId,
            missionType: p.after.missionType,
            currentAmount: p.after.currentAmount,
            targetAmount: p.after.targetAmount,
          },
        });
      }
    }
  },
  finish(ctx) {
    ctx.state.write(ctx.tx);
  },
};
