import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { documentDb, tableName } from "../db/client";
import { parseItem } from "../db/items";
import { INDEX_PK, PK, SK, sortKey, sortKeyPrefix } from "../db/keys";
import { partitionPrefix, queryAll } from "../db/query";
import type { TransactionBuilder } from "../pipeline/transaction";
import { derivedId } from "../rewards/plan";
import { balanceKey } from "../wallet/keys";
import type { CalendarPeriodType, RecordKind } from "./calendar";
import { EMPTY_STREAK, type StreakState } from "./evaluate";
import { type Cadence, nextStreakPeriod } from "./periods";

/**
 * Per-user streak items, in the user's partition `WS#<ws>#USER#<userId>`:
 *   STREAK#<streakId>                                   the counter (one per user and rule), `rev`-guarded
 *   STREAKREC#<streakId>#<DAY|WEEK|MONTH|YEAR>#<periodId> calendar records
 * A counter that can still miss a period carries gsi2 `WS#<ws>#STREAKDUE` / `<dueAt>#<userId>#<streakId>`
 * (`dueAt` = when the period after the last counted one ends), so `settleStreaks` finds the
 * streaks a scheduled run has to settle.
 */
export interface StreakItem extends StreakState {
  streakId: string;
  workspaceId: string;
  userId: string;
  streakRuleId: string;
  streakConfigurationId: string;
  cadence: Cadence;
  timezone: string;
  rev: number;
  createdAt: string;
  updatedAt: string;
}

export interface StreakRecord {
  streakId: string;
  periodType: CalendarPeriodType;
  periodId: string;
  startsAt: string;
  endsAt: string;
  /** Cadence records only. */
  kind?: RecordKind;
  /** Aggregates only. */
  count?: number;
  freezeCount?: number;
}

const periodSchema = z.object({ periodId: z.string(), startsAt: z.string(), endsAt: z.string() });

/** A stored counter (what `counterItem` writes; keys and index attributes are dropped). */
const streakItemSchema = z.object({
  count: z.number(),
  longest: z.number(),
  status: z.enum(["ACTIVE", "COMPLETED", "BROKEN", "ENDED"]),
  lastPeriod: periodSchema.nullable(),
  lastContributingPeriodId: z.string().nullable(),
  freezesUsed: z.number(),
  streakId: z.string(),
  workspaceId: z.string(),
  userId: z.string(),
  streakRuleId: z.string(),
  streakConfigurationId: z.string(),
  cadence: z.enum(["DAY", "WEEK"]),
  timezone: z.string(),
  rev: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodType<StreakItem>;

/** A stored calendar record: a cadence record (`kind`) or an aggregate (`count`, `freezeCount`). */
const streakRecordSchema = z.object({
  streakId: z.string(),
  periodType: z.enum(["DAY", "WEEK", "MONTH", "YEAR"]),
  periodId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  kind: z.enum(["REGULAR", "FREEZE"]).optional(),
  count: z.number().optional(),
  freezeCount: z.number().optional(),
}) satisfies z.ZodType<StreakRecord>;

/** One counter per user and rule, so concurrent creators agree on the id. */
export function streakIdFor(ruleId: string, userId: string): string {
  return derivedId("streak", ruleId, userId);
}

export function streakKey(workspaceId: string, userId: string, streakId: string) {
  return { pk: PK.user(workspaceId, userId), sk: sortKey(SK.streak, streakId) };
}

export function recordKey(
  workspaceId: string,
  userId: string,
  streakId: string,
  periodType: CalendarPeriodType,
  periodId: string,
) {
  return { pk: PK.user(workspaceId, userId), sk: sortKey(SK.streakRecord, streakId, periodType, periodId) };
}

export function dueIndexPk(workspaceId: string): string {
  return INDEX_PK.streaksDue(workspaceId);
}

export function newStreakItem(
  workspaceId: string,
  userId: string,
  rule: { streakRuleId: string; streakConfigurationId: string; cadence: Cadence },
  zone: string,
  now: Date,
): StreakItem {
  const at = now.toISOString();
  return {
    ...EMPTY_STREAK,
    streakId: streakIdFor(rule.streakRuleId, userId),
    workspaceId,
    userId,
    streakRuleId: rule.streakRuleId,
    streakConfigurationId: rule.streakConfigurationId,
    cadence: rule.cadence,
    timezone: zone,
    rev: 0,
    createdAt: at,
    updatedAt: at,
  };
}

function toItem(raw: Record<string, unknown>): StreakItem {
  return parseItem(streakItemSchema, raw, "streak");
}

/** The user's streak counters (strongly consistent). */
export async function loadStreakItems(workspaceId: string, userId: string): Promise<StreakItem[]> {
  const items = await queryAll({
    ...partitionPrefix(PK.user(workspaceId, userId), sortKeyPrefix(SK.streak)),
    ConsistentRead: true,
  });
  return items.map(toItem);
}

/** Completed funds of the user per currency (0 when there is no balance yet). */
export async function loadAvailable(
  workspaceId: string,
  userId: string,
  currencyIds: Iterable<string>,
): Promise<Map<string, number>> {
  const ids = [...new Set(currencyIds)];
  const amounts = await Promise.all(
    ids.map(async (id) => {
      const out = await documentDb().send(
        new GetCommand({ TableName: tableName(), Key: balanceKey(workspaceId, userId, id), ConsistentRead: true }),
      );
      return Number(out.Item?.availableAmount ?? 0);
    }),
  );
  return new Map(ids.map((id, i) => [id, amounts[i]!]));
}

/** Calendar records of a streak of one period type, `fromId`..`toId` inclusive (ids sort by time). */
export async function loadRecords(
  workspaceId: string,
  userId: string,
  streakId: string,
  periodType: CalendarPeriodType,
  fromId: string,
  toId: string,
): Promise<StreakRecord[]> {
  const prefix = sortKeyPrefix(SK.streakRecord, streakId, periodType);
  const out = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: {
        ":pk": PK.user(workspaceId, userId),
        ":from": `${prefix}${fromId}`,
        ":to": `${prefix}${toId}\uffff`,
      },
      ConsistentRead: true,
      Limit: 1_000,
    }),
  );
  return (out.Items ?? []).map((raw) => parseItem(streakRecordSchema, raw, "streak record"));
}

type PutParams = Parameters<TransactionBuilder["put"]>[0];
type UpdateParams = Parameters<TransactionBuilder["update"]>[0];

/**
 * Adds streak writes to a transaction, once per item: a counter written again in the same
 * transaction replaces the first write's item (keeping its `rev` condition), an aggregate
 * touched again adds to the same update. So several events of one activity log, or several
 * periods of one catch-up, never write an item twice (DynamoDB refuses that).
 */
export class StreakTxWriter {
  private readonly counters = new Map<string, PutParams>();
  private readonly periodRecords = new Map<string, PutParams>();
  private readonly aggregates = new Map<string, UpdateParams>();

  constructor(private readonly tx: TransactionBuilder) {}

  putCounter(item: StreakItem, expectedRev: number | null): void {
    const existing = this.counters.get(item.streakId);
    const Item = counterItem(item);
    if (existing) {
      existing.Item = Item;
      return;
    }
    const params: PutParams = {
      TableName: tableName(),
      Item,
      ConditionExpression: expectedRev === null ? "attribute_not_exists(pk)" : "rev = :rev",
      ...(expectedRev === null ? {} : { ExpressionAttributeValues: { ":rev": expectedRev } }),
    };
    this.counters.set(item.streakId, params);
    this.tx.put(params, { kind: "consumer", ref: `streaks:${item.streakId}` });
  }

  putPeriodRecord(
    item: StreakItem,
    record: Required<Pick<StreakRecord, "periodType" | "periodId" | "startsAt" | "endsAt" | "kind">>,
    at: string,
  ): void {
    const key = recordKey(item.workspaceId, item.userId, item.streakId, record.periodType, record.periodId);
    const Item = {
      ...key,
      itemType: "StreakRecord",
      workspaceId: item.workspaceId,
      userId: item.userId,
      streakId: item.streakId,
      streakRuleId: item.streakRuleId,
      ...record,
      createdAt: at,
    };
    const existing = this.periodRecords.get(key.sk);
    if (existing) {
      existing.Item = Item;
      return;
    }
    const params: PutParams = { TableName: tableName(), Item };
    this.periodRecords.set(key.sk, params);
    this.tx.put(params, { kind: "consumer", ref: "streaks:record" });
  }

  addToAggregate(
    item: StreakItem,
    ref: { periodType: CalendarPeriodType; periodId: string; startsAt: string; endsAt: string },
    kind: RecordKind,
    at: string,
  ): void {
    const key = recordKey(item.workspaceId, item.userId, item.streakId, ref.periodType, ref.periodId);
    let params = this.aggregates.get(key.sk);
    if (!params) {
      params = {
        TableName: tableName(),
        Key: key,
        UpdateExpression:
          "ADD #count :dc, freezeCount :df SET itemType = :it, workspaceId = :ws, userId = :u, streakId = :s, streakRuleId = :r, periodType = :pt, periodId = :pid, startsAt = :sa, endsAt = :ea, updatedAt = :at",
        ExpressionAttributeNames: { "#count": "count" },
        ExpressionAttributeValues: {
          ":dc": 0,
          ":df": 0,
          ":it": "StreakRecord",
          ":ws": item.workspaceId,
          ":u": item.userId,
          ":s": item.streakId,
          ":r": item.streakRuleId,
          ":pt": ref.periodType,
          ":pid": ref.periodId,
          ":sa": ref.startsAt,
          ":ea": ref.endsAt,
          ":at": at,
        },
      };
      this.aggregates.set(key.sk, params);
      this.tx.update(params, { kind: "consumer", ref: "streaks:aggregate" });
    }
    const values = params.ExpressionAttributeValues!;
    const field = kind === "REGULAR" ? ":dc" : ":df";
    values[field] = Number(values[field]) + 1;
  }
}

function counterItem(item: StreakItem): Record<string, unknown> {
  const due =
    item.count > 0 && item.lastPeriod && item.status !== "BROKEN"
      ? nextStreakPeriod(item.cadence, item.lastPeriod, item.timezone).endsAt
      : null;
  return {
    ...streakKey(item.workspaceId, item.userId, item.streakId),
    itemType: "Streak",
    ...item,
    ...(due ? { gsi2pk: dueIndexPk(item.workspaceId), gsi2sk: `${due}#${item.userId}#${item.streakId}` } : {}),
  };
}
