import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { addBadgeAwards, type BadgeAward } from "../badges/award";
import type { BadgeConfigurationData } from "../badges/model";
import { documentDb, tableName } from "../db/client";
import { type LiveConfig, type LiveEntry, loadLiveConfig } from "../engine/live-config";
import { logger } from "../logging";
import { groupMissionCandidates, planAssignments } from "../missions/assign";
import {
  getGroupMissions,
  groupProgressUpdate,
  loadMissions,
  type Mission,
  missionPk,
  missionPut,
  toMissionData,
} from "../missions/instance";
import { type MissionProgress, planProgress } from "../missions/progress";
import { derivedId, planRewards } from "../rewards/plan";
import { getUserProfile } from "../users/store";
import { creditFits, type LedgerEntry, WalletWrites } from "../wallet/ledger";
import { backoff, commitTransaction, MAX_ATTEMPTS } from "./commit";
import { type ConsumerContext, eventConsumers } from "./consumers";
import { TransactionBuilder } from "./transaction";
import type { AppliedEvent, RuleUser } from "./types";

/**
 * The exactly-once event pipeline. An event (an activity log, or a built-in event) is applied
 * by ONE DynamoDB transaction that contains the immutable log item — conditioned on
 * `attribute_not_exists(pk)` — together with every effect: mission progress (each mission
 * update conditioned on its `rev`), mission logs, ledger entries and balance updates
 * (conditioned on the currency limits), badge awards and the consumers' writes. Either all of
 * it happens once, or nothing does:
 *   - the log item already exists → the event was applied before: nothing is written again;
 *   - a balance limit fails → that currency's rewards become REJECTED entries and the plan is rebuilt;
 *   - a concurrent change (mission rev, transaction conflict) → reload and re-plan, with backoff.
 * The common path costs three DynamoDB round trips: user profile and the user's open missions
 * (in parallel), then TransactWriteItems; the published configuration is cached per container.
 * Workspaces with GROUP mission rules also fetch the current group missions (one BatchGetItem,
 * in parallel with those reads: their keys follow from the configuration and the time).
 */
export interface ApplyEventInput {
  workspaceId: string;
  userId: string;
  rootEvent: AppliedEvent;
  /** The immutable log item of the event (with pk/sk); its existence marks the event applied. */
  logItem: Record<string, unknown> & { pk: string; sk: string };
  now?: Date;
}

export type ApplyEventResult =
  | {
      applied: true;
      events: AppliedEvent[];
      missions: MissionProgress[];
      createdMissions: Mission[];
      transactions: LedgerEntry[];
      badges: BadgeAward[];
      attempts: number;
    }
  | { applied: false; existing: Record<string, unknown>; attempts: number };

let serializePerUser = true;

/**
 * Logs of one user are applied one at a time within a container (a cheap way to avoid
 * optimistic-concurrency retries); correctness across containers rests on the conditions
 * alone. Tests switch this off to prove that.
 */
export function setPerUserSerialization(enabled: boolean): void {
  serializePerUser = enabled;
}

const userQueues = new Map<string, Promise<unknown>>();

async function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  if (!serializePerUser) return fn();
  const previous = userQueues.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  userQueues.set(key, tail);
  try {
    return await run;
  } finally {
    if (userQueues.get(key) === tail) userQueues.delete(key);
  }
}

export async function loadRuleUser(workspaceId: string, userId: string): Promise<RuleUser> {
  const profile = await getUserProfile(workspaceId, userId);
  if (!profile) return { userId, tags: [], timezone: "UTC" };
  return { ...profile, userId, tags: profile.tags };
}

interface Plan {
  tx: TransactionBuilder;
  events: AppliedEvent[];
  progress: MissionProgress[];
  created: Mission[];
  transactions: LedgerEntry[];
  badges: BadgeAward[];
  consumerStates: unknown[];
  user: RuleUser;
}

function missionCompletedEvent(root: AppliedEvent, p: MissionProgress): AppliedEvent {
  return {
    eventId: `${root.eventId}:mission:${p.after.missionId}`,
    type: "MISSION_COMPLETED",
    workspaceId: root.workspaceId,
    userId: root.userId,
    entityType: "Mission",
    entityId: p.after.missionConfigurationId,
    tags: p.after.tags,
    occurredAt: p.after.completedAt ?? root.occurredAt,
    rootEventId: root.eventId,
    data: { type: "MISSION_COMPLETED", ...toMissionData(p.after) },
    previous: toMissionData(p.before),
  };
}

/**
 * How many derivation steps an event may be from its root (root = 0; a quiz submit's path
 * progress = 1; a mission it completes = 2; a mission counting that completion = 3, …).
 * Deeper events are dropped (logged): a cycle of configurations cannot loop forever.
 * Virtual-transaction events are leaves (nothing derives from them) and always recorded.
 */
export const MAX_DERIVATION_DEPTH = 8;

/**
 * The missions of one plan. Every event of the run (root and derived, in order) may assign
 * and progress missions; each touched mission is written ONCE at the end (a transaction
 * cannot touch one item twice), conditioned on the state it was loaded in.
 */
class MissionWork {
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
    const ownCompletion = event.type === "MISSION_COMPLETED" ? (event.data.missionId as string | undefined) : undefined;
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
        ? `MLOG#${p.after.missionId}#${user.userId}#${event.eventId}`
        : `MLOG#${p.after.missionId}#${event.eventId}`,
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

/**
 * Plans the whole run of one root event: a queue of events, root first, each applied in
 * order to missions, reward rules and the consumers; whatever they derive (missions
 * completed, learning progress, virtual transactions) joins the end of the queue and is
 * applied the same way — all in the one transaction of the root's log item.
 */
function buildPlan(
  input: ApplyEventInput,
  config: LiveConfig,
  user: RuleUser,
  missions: Mission[],
  consumerStates: unknown[],
  rejectedCurrencies: ReadonlySet<string>,
  now: Date,
): Plan {
  const { workspaceId, rootEvent } = input;
  const at = now.toISOString();
  const tx = new TransactionBuilder();
  tx.put(
    { TableName: tableName(), Item: input.logItem, ConditionExpression: "attribute_not_exists(pk)" },
    { kind: "log" },
  );

  const work = new MissionWork(missions);
  const events: AppliedEvent[] = [rootEvent];
  const depths: number[] = [0];
  const enqueue = (event: AppliedEvent, depth: number) => {
    if (depth > MAX_DERIVATION_DEPTH && event.type !== "VIRTUAL_TRANSACTION") {
      logger.warn("derived event dropped: derivation depth exceeded", {
        rootEventId: rootEvent.eventId,
        eventId: event.eventId,
        type: event.type,
        depth,
      });
      return;
    }
    events.push(event);
    depths.push(depth);
  };
  const wallet = new WalletWrites();
  const badges: BadgeAward[] = [];
  const consumers = eventConsumers();
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const depth = depths[i]!;
    if (event.type !== "VIRTUAL_TRANSACTION") {
      for (const p of work.apply(config, workspaceId, user, event, now)) {
        tx.put(missionLogPut(p, event, user, at), { kind: "missionLog", ref: p.after.missionId });
        if (p.completed) enqueue(missionCompletedEvent(rootEvent, p), depth + 1);
      }
      for (const reward of planRewards(config, event, user, now)) {
        if (reward.rewardType === "BADGE") {
          const badge = config.badgeConfiguration.get(reward.badgeConfigurationId) as
            | LiveEntry<BadgeConfigurationData>
            | undefined;
          if (badge?.data.state !== "PUBLISHED") continue;
          badges.push({
            badgeLogId: derivedId(event.eventId, reward.rewardRuleId, reward.badgeConfigurationId),
            badgeConfigurationId: reward.badgeConfigurationId,
            userId: user.userId,
            sourceEntityType: event.entityType,
            sourceEntityId: event.entityId,
            rewardRuleId: reward.rewardRuleId,
            assignedAt: at,
          });
          continue;
        }
        const limits = {
          virtualCurrencyId: reward.currency.id,
          minAllowedBalance: reward.currency.data.minAllowedBalance ?? 0,
          maxAllowedBalance: reward.currency.data.maxAllowedBalance,
        };
        const rejected = rejectedCurrencies.has(reward.currency.id) || !creditFits(limits, reward.amount);
        const entry: LedgerEntry = {
          virtualTransactionId: reward.transactionId,
          virtualTransactionGroupId: derivedId(event.eventId, "rewards"),
          workspaceId,
          userId: user.userId,
          virtualCurrencyId: reward.currency.id,
          direction: "CREDIT",
          amount: reward.amount,
          state: rejected ? "REJECTED" : reward.redemptionMode === "AUTO" ? "COMPLETED" : "PENDING",
          redemptionMode: reward.redemptionMode,
          initiatorType: "REWARD_RULE",
          initiator: reward.rewardRuleId,
          counterpartType: "SYSTEM",
          counterpart: "SYSTEM",
          rewardRuleId: reward.rewardRuleId,
          sourceEntityType: event.entityType,
          sourceEntityId: event.entityId,
          ...(rejected ? { rejectionCode: "wallet.balance_limit" } : {}),
          createdAt: at,
          updatedAt: at,
        };
        wallet.credit(entry, limits);
        enqueue(
          {
            eventId: `${event.eventId}:vtx:${entry.virtualTransactionId}`,
            type: "VIRTUAL_TRANSACTION",
            workspaceId,
            userId: user.userId,
            entityType: "VirtualTransaction",
            entityId: entry.virtualTransactionId,
            tags: [],
            occurredAt: at,
            rootEventId: rootEvent.eventId,
            data: { type: "VIRTUAL_TRANSACTION", ...entry },
            previous: null,
          },
          depth + 1,
        );
      }
    }
    for (const [ci, consumer] of consumers.entries()) {
      const ctx: ConsumerContext<unknown> = {
        workspaceId,
        user,
        now,
        state: consumerStates[ci],
        tx,
        wallet,
        emit: (derived) =>
          enqueue({ ...derived, workspaceId, userId: user.userId, rootEventId: rootEvent.eventId }, depth + 1),
      };
      consumer.apply(event, ctx);
    }
  }
  work.write(tx);
  wallet.flush(tx);
  if (badges.length) {
    addBadgeAwards(
      tx,
      workspaceId,
      badges,
      (id) => (config.badgeConfiguration.get(id)?.data as BadgeConfigurationData | undefined)?.defaultLang ?? "en",
    );
  }
  return {
    tx,
    events,
    progress: work.progress,
    created: work.created,
    transactions: wallet.entries,
    badges,
    consumerStates,
    user,
  };
}

/** The stored log item. The Key is built from pk/sk alone: a whole item is not a valid DynamoDB key. */
async function readExisting({ pk, sk }: { pk: string; sk: string }): Promise<Record<string, unknown>> {
  const out = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: { pk, sk }, ConsistentRead: true }),
  );
  return out.Item ?? {};
}

/** Applies an event exactly once (see the module comment). */
export function applyEvent(input: ApplyEventInput): Promise<ApplyEventResult> {
  return serialized(`${input.workspaceId}#${input.userId}`, () => applyEventNow(input));
}

async function applyEventNow(input: ApplyEventInput): Promise<ApplyEventResult> {
  const now = input.now ?? new Date();
  const rejectedCurrencies = new Set<string>();
  const consumers = eventConsumers();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const configLoad = loadLiveConfig(input.workspaceId);
    const [config, user, ownMissions, groupMissions, ...consumerStates] = await Promise.all([
      configLoad,
      loadRuleUser(input.workspaceId, input.userId),
      loadMissions(input.workspaceId, input.userId, now),
      configLoad.then((c) => {
        const keys = groupMissionCandidates(c, now);
        return keys.length ? getGroupMissions(input.workspaceId, keys) : [];
      }),
      ...consumers.map((c) =>
        c.load
          ? c.load({ workspaceId: input.workspaceId, userId: input.userId, rootEvent: input.rootEvent, now })
          : undefined,
      ),
    ]);
    const missions = [...ownMissions, ...groupMissions.filter((m) => m.groupTagId && user.tags.includes(m.groupTagId))];
    const plan = buildPlan(input, config, user, missions, consumerStates, rejectedCurrencies, now);
    const result = await commitTransaction(plan.tx);
    if (result.ok) {
      for (const [ci, consumer] of consumers.entries()) {
        if (!consumer.afterCommit) continue;
        try {
          await consumer.afterCommit(plan.events, {
            workspaceId: input.workspaceId,
            user,
            now,
            state: consumerStates[ci],
            logger,
          });
        } catch (err) {
          logger.error(`event consumer ${consumer.name} afterCommit failed`, err instanceof Error ? err : String(err));
        }
      }
      return {
        applied: true,
        events: plan.events,
        missions: plan.progress,
        createdMissions: plan.created,
        transactions: plan.transactions,
        badges: plan.badges,
        attempts: attempt,
      };
    }
    if (result.failed.some((t) => t.kind === "log")) {
      return { applied: false, existing: await readExisting(input.logItem), attempts: attempt };
    }
    const limitHits = result.failed.filter((t) => t.kind === "balance" && t.ref);
    if (limitHits.length && !result.conflict) {
      for (const hit of limitHits) rejectedCurrencies.add(hit.ref!.split(":")[1]!);
      continue;
    }
    await backoff(attempt);
  }
  throw new Error(`event ${input.rootEvent.eventId} could not be applied after ${MAX_ATTEMPTS} attempts`);
}
