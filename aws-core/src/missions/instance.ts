import { createHash } from "node:crypto";
import { BatchGetCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "@hono/zod-openapi";
import { documentDb, tableName } from "../db/client";
import { parseItem } from "../db/items";
import { PK, SK, sortKey, sortKeyPrefix } from "../db/keys";
import { queryAll } from "../db/query";
import type { RuleUser } from "../events/types";
import type { LiveEntry } from "../records/live";
import type { Translation } from "../records/translated";
import { evaluateAmount } from "../rules/jsonlogic";
import { stateAt, type TimeState } from "../rules/timeframe";
import type { MissionConfigurationData } from "./model";

/**
 * A mission instance, stored in the user's partition at `M#<missionId>`. It copies what it
 * needs from its configuration when created (editing the configuration never rewrites it);
 * `targetAmount` is computed when the mission is ACTIVE and then frozen; `rev` is the
 * optimistic-concurrency counter every update is conditioned on.
 *
 * A GROUP mission is shared by everyone carrying its `groupTagId` and lives in the group's
 * partition `WS#<ws>#GROUP#<tagId>` instead (no `userId`); its progress is an atomic `ADD`
 * (see `groupProgressUpdate`), so contributions of different users do not retry each other.
 */
export interface Mission {
  missionId: string;
  workspaceId: string;
  /** INDIVIDUAL missions only. */
  userId?: string;
  /** GROUP missions only: the tag whose holders share it. */
  groupTagId?: string;
  missionType: "INDIVIDUAL" | "GROUP";
  missionConfigurationId: string;
  missionRuleId?: string;
  periodId: string;
  timeframeType: "PERMANENT" | "RANGE" | "RECURRING";
  startsAt: string;
  endsAt?: string;
  isCompleted: boolean;
  completedAt?: string;
  /** GROUP missions: the member whose contribution reached the target. */
  completedByUserId?: string;
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
  return { pk: PK.user(workspaceId, userId), sk: sortKey(SK.mission, missionId) };
}

export function groupPk(workspaceId: string, groupTagId: string): string {
  return PK.group(workspaceId, groupTagId);
}

/** The partition a mission lives in: the user's, or its group's. */
export function missionPk(mission: Pick<Mission, "workspaceId" | "userId" | "groupTagId">): string {
  if (mission.groupTagId !== undefined) return groupPk(mission.workspaceId, mission.groupTagId);
  return PK.user(mission.workspaceId, mission.userId!);
}

export function missionItemKey(mission: Pick<Mission, "workspaceId" | "userId" | "groupTagId" | "missionId">) {
  return { pk: missionPk(mission), sk: sortKey(SK.mission, mission.missionId) };
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
export function computeTarget(mission: Mission, user: RuleUser | null, now: Date): number {
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
  /** GROUP configurations: the group the mission is shared by. */
  groupTagId?: string;
}

/** `user`: the INDIVIDUAL mission's user, or the GROUP member creating it (null: a manual GROUP assignment). */
export function newMission(workspaceId: string, user: RuleUser | null, input: NewMissionInput, now: Date): Mission {
  const c = input.config.data;
  const at = now.toISOString();
  const mission: Mission = {
    missionId: input.missionId,
    workspaceId,
    ...(c.missionType === "GROUP" ? { groupTagId: input.groupTagId } : { userId: user?.userId }),
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

/** A stored mission (what `missionPut` writes; its keys are dropped). */
const missionItemSchema = z.object({
  missionId: z.string(),
  workspaceId: z.string(),
  userId: z.string().optional(),
  groupTagId: z.string().optional(),
  missionType: z.enum(["INDIVIDUAL", "GROUP"]),
  missionConfigurationId: z.string(),
  missionRuleId: z.string().optional(),
  periodId: z.string(),
  timeframeType: z.enum(["PERMANENT", "RANGE", "RECURRING"]),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  isCompleted: z.boolean(),
  completedAt: z.string().optional(),
  completedByUserId: z.string().optional(),
  matchType: z.enum(["INSTANCE", "ENTITY", "TAG"]),
  matchEntity: z.string(),
  matchEntityId: z.string().optional(),
  matchCondition: z.unknown(),
  incrementExpression: z.unknown(),
  targetAmountExpression: z.unknown(),
  currentAmount: z.number(),
  targetAmount: z.number().nullable(),
  defaultLang: z.string(),
  translations: z.array(z.object({ lang: z.string(), label: z.string(), description: z.string().optional() })),
  tags: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  rev: z.number(),
}) satisfies z.ZodType<Mission>;

/** A mission as the app sees it (`toMissionResponse`). */
export const missionResponseSchema = missionItemSchema
  .omit({ workspaceId: true, rev: true })
  .extend({
    state: z.enum(["PENDING", "ACTIVE", "ENDED"]),
    translation: z.object({ lang: z.string(), label: z.string() }).optional(),
  })
  .openapi("Mission");

function toMission(item: Record<string, unknown>): Mission {
  return parseItem(missionItemSchema, item, "mission");
}

async function queryMissions(pk: string, activeAt?: Date): Promise<Mission[]> {
  const items = await queryAll({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
    ...(activeAt ? { FilterExpression: "attribute_not_exists(endsAt) OR endsAt > :now" } : {}),
    ExpressionAttributeValues: {
      ":pk": pk,
      ":prefix": sortKeyPrefix(SK.mission),
      ...(activeAt ? { ":now": activeAt.toISOString() } : {}),
    },
    ConsistentRead: true,
  });
  return items.map(toMission);
}

/** The user's own (INDIVIDUAL) missions; with `activeAt`, only those not ended at that time. */
export function loadMissions(workspaceId: string, userId: string, activeAt?: Date): Promise<Mission[]> {
  return queryMissions(PK.user(workspaceId, userId), activeAt);
}

/** Every mission of a group (all periods). */
export function loadGroupMissions(workspaceId: string, groupTagId: string): Promise<Mission[]> {
  return queryMissions(groupPk(workspaceId, groupTagId));
}

/** GROUP missions by key (one strongly consistent BatchGetItem per 100 keys); missing ones are left out. */
export async function getGroupMissions(
  workspaceId: string,
  keys: readonly { groupTagId: string; missionId: string }[],
): Promise<Mission[]> {
  const unique = [...new Map(keys.map((k) => [`${k.groupTagId}\u0000${k.missionId}`, k])).values()];
  const chunks: (typeof unique)[] = [];
  for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));
  const pages = await Promise.all(
    chunks.map(async (chunk) => {
      const found: Mission[] = [];
      let request: Record<string, unknown>[] = chunk.map((k) => ({
        pk: groupPk(workspaceId, k.groupTagId),
        sk: sortKey(SK.mission, k.missionId),
      }));
      while (request.length) {
        const out = await documentDb().send(
          new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: request, ConsistentRead: true } } }),
        );
        for (const item of out.Responses?.[tableName()] ?? []) found.push(toMission(item));
        request = (out.UnprocessedKeys?.[tableName()]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
      return found;
    }),
  );
  return pages.flat();
}

export function missionPut(mission: Mission, expectedRev: number | null) {
  return {
    TableName: tableName(),
    Item: { ...missionItemKey(mission), itemType: "Mission", ...mission },
    ConditionExpression: expectedRev === null ? "attribute_not_exists(pk)" : "rev = :rev",
    ...(expectedRev === null ? {} : { ExpressionAttributeValues: { ":rev": expectedRev } }),
  };
}

/**
 * The write of one contribution to an existing GROUP mission: an atomic `ADD` (members do not
 * retry each other), conditioned only where the outcome depends on the amount:
 *   - already completed when loaded → just add (completion never flips back);
 *   - this contribution completes it → flip, conditioned on `isCompleted = false` and the
 *     amount still reaching the target (a lost race re-plans: someone else completed it);
 *   - otherwise → add, conditioned on it being completed already or staying below the target
 *     (if others moved it closer meanwhile, re-plan: this contribution may be the completing one).
 */
export function groupProgressUpdate(before: Mission, after: Mission, increment: number, completed: boolean) {
  const threshold = (after.targetAmount ?? 1) - increment;
  const values: Record<string, unknown> = { ":inc": increment, ":one": 1, ":at": after.updatedAt };
  let set = "SET updatedAt = :at";
  let condition = "attribute_exists(pk)";
  if (completed) {
    set += ", isCompleted = :true, completedAt = :at, completedByUserId = :by";
    condition = "isCompleted = :false AND currentAmount >= :threshold";
    Object.assign(values, { ":true": true, ":false": false, ":by": after.completedByUserId, ":threshold": threshold });
  } else if (!before.isCompleted) {
    condition = "isCompleted = :true OR currentAmount < :threshold";
    Object.assign(values, { ":true": true, ":threshold": threshold });
  }
  return {
    TableName: tableName(),
    Key: missionItemKey(before),
    UpdateExpression: `${set} ADD currentAmount :inc, rev :one`,
    ConditionExpression: condition,
    ExpressionAttributeValues: values,
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
