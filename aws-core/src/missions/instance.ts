import { createHash } from "node:crypto";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { documentDb, tableName } from "../db/client";
import { evaluateAmount } from "../engine/jsonlogic";
import type { LiveEntry } from "../engine/live-config";
import type { Translation } from "../engine/schemas";
import { stateAt, type TimeState } from "../engine/timeframe";
import type { RuleUser } from "../events/types";
import { userStatePk } from "../wallet/keys";
import type { MissionConfigurationData } from "./model";

/**
 * A mission instance, stored in the user's partition at `M#<missionId>`. It copies what it
 * needs from its configuration when created (editing the configuration never rewrites it);
 * `targetAmount` is computed when the mission is ACTIVE and then frozen; `rev` is the
 * optimistic-concurrency counter every update is conditioned on.
 */
export interface Mission {
  missionId: string;
  workspaceId: string;
  userId: string;
  missionType: "INDIVIDUAL" | "GROUP";
  missionConfigurationId: string;
  missionRuleId?: string;
  periodId: string;
  timeframeType: "PERMANENT" | "RANGE" | "RECURRING";
  startsAt: string;
  endsAt?: string;
  isCompleted: boolean;
  completedAt?: string;
  matchType: "INSTANCE" | "ENTITY" | "TAG";
  matchEntity: string;
  matchEntityId?: string;
  matchCondition: unknown;
  incrementExpression: unknown;
  targetAmountExpression: unknown;
  currentAmount: number;
  targetAmount: number | null;
  defaultLang: string;
  translations: Translation[];
  tags: string[];
  createdAt: string;
  updatedAt: string;
  rev: number;
}

export function missionKey(workspaceId: string, userId: string, missionId: string) {
  return { pk: userStatePk(workspaceId, userId), sk: `M#${missionId}` };
}

/** One mission per rule, configuration, user and period: the id is derived from them. */
export function ruleMissionId(ruleId: string, configurationId: string, periodId: string): string {
  return createHash("sha256")
    .update(`${ruleId}\u0000${configurationId}\u0000${periodId}`)
    .digest("base64url")
    .slice(0, 21);
}

export function missionState(mission: Pick<Mission, "startsAt" | "endsAt">, now: Date): TimeState {
  return stateAt(now, mission.startsAt, mission.endsAt);
}

/** Target: the expression over `{ user, mission }`; nothing usable (or ≤ 0) counts as 1. */
export function computeTarget(mission: Mission, user: RuleUser, now: Date): number {
  const value = evaluateAmount(mission.targetAmountExpression, { user, mission: toMissionData(mission) }, now);
  return value !== null && value > 0 ? value : 1;
}

export function toMissionData(mission: Mission): Record<string, unknown> {
  const { workspaceId: _ws, rev: _rev, ...rest } = mission;
  return rest;
}

export interface NewMissionInput {
  missionId: string;
  config: LiveEntry<MissionConfigurationData>;
  missionRuleId?: string;
  periodId: string;
  timeframeType: Mission["timeframeType"];
  startsAt: string;
  endsAt?: string;
  targetAmount?: number;
  currentAmount?: number;
}

export function newMission(workspaceId: string, user: RuleUser, input: NewMissionInput, now: Date): Mission {
  const c = input.config.data;
  const at = now.toISOString();
  const mission: Mission = {
    missionId: input.missionId,
    workspaceId,
    userId: user.userId,
    missionType: c.missionType,
    missionConfigurationId: input.config.id,
    ...(input.missionRuleId ? { missionRuleId: input.missionRuleId } : {}),
    periodId: input.periodId,
    timeframeType: input.timeframeType,
    startsAt: input.startsAt,
    ...(input.endsAt ? { endsAt: input.endsAt } : {}),
    isCompleted: false,
    matchType: c.matchType,
    matchEntity: c.matchEntity,
    ...(c.matchEntityId ? { matchEntityId: c.matchEntityId } : {}),
    matchCondition: c.matchCondition ?? null,
    incrementExpression: c.incrementExpression ?? null,
    targetAmountExpression: c.targetAmountExpression ?? null,
    currentAmount: input.currentAmount ?? 0,
    targetAmount: input.targetAmount ?? null,
    defaultLang: c.defaultLang,
    translations: c.translations,
    tags: c.tags ?? [],
    createdAt: at,
    updatedAt: at,
    rev: 0,
  };
  if (mission.targetAmount === null && missionState(mission, now) === "ACTIVE") {
    mission.targetAmount = computeTarget(mission, user, now);
  }
  return mission;
}

/** The user's missions; with `activeAt`, only those not ended at that time. */
export async function loadMissions(workspaceId: string, userId: string, activeAt?: Date): Promise<Mission[]> {
  const missions: Mission[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await documentDb().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ...(activeAt ? { FilterExpression: "attribute_not_exists(endsAt) OR endsAt > :now" } : {}),
        ExpressionAttributeValues: {
          ":pk": userStatePk(workspaceId, userId),
          ":prefix": "M#",
          ...(activeAt ? { ":now": activeAt.toISOString() } : {}),
        },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) {
      const { pk: _pk, sk: _sk, ...mission } = item;
      missions.push(mission as Mission);
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return missions;
}

export function missionPut(mission: Mission, expectedRev: number | null) {
  return {
    TableName: tableName(),
    Item: { ...missionKey(mission.workspaceId, mission.userId, mission.missionId), itemType: "Mission", ...mission },
    ConditionExpression: expectedRev === null ? "attribute_not_exists(pk)" : "rev = :rev",
    ...(expectedRev === null ? {} : { ExpressionAttributeValues: { ":rev": expectedRev } }),
  };
}

/** The API shape: stored fields plus the state derived from time. */
export function toMissionResponse(mission: Mission, now: Date): Record<string, unknown> {
  const translation = mission.translations.find((t) => t.lang === mission.defaultLang) ?? mission.translations[0];
  return {
    ...toMissionData(mission),
    state: missionState(mission, now),
    ...(translation ? { translation: { lang: translation.lang, label: translation.label } } : {}),
  };
}
