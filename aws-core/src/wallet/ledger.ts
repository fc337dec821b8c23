import { z } from "@hono/zod-openapi";
import { tableName } from "../db/client";
import { parseItem } from "../db/items";
import { INDEX_PK } from "../db/keys";
import type { TransactionBuilder } from "../pipeline/transaction";
import { balanceKey, transactionHistoryIndex, transactionKey } from "./keys";

/**
 * The wallet ledger. Every credit or debit is a ledger entry plus a balance update in the same
 * DynamoDB transaction, the balance update conditioned on the currency's limits, so no
 * interleaving can leave a balance outside [min, max]. `amount` counts pending credits,
 * `availableAmount` only completed ones; limits are checked on `amount` for credits and on
 * `availableAmount` for debits (spending needs completed funds).
 */
export type Direction = "CREDIT" | "DEBIT";
export type TransactionState = "PENDING" | "COMPLETED" | "EXPIRED" | "REJECTED";
export type InitiatorType = "USER" | "REWARD_RULE" | "STREAK_RULE" | "SYSTEM" | "ADMIN";

export interface CurrencyLimits {
  virtualCurrencyId: string;
  minAllowedBalance: number;
  maxAllowedBalance?: number | undefined;
}

export interface LedgerEntry {
  virtualTransactionId: string;
  virtualTransactionGroupId: string;
  workspaceId: string;
  userId: string;
  virtualCurrencyId: string;
  direction: Direction;
  amount: number;
  state: TransactionState;
  redemptionMode: "AUTO" | "MANUAL";
  initiatorType: InitiatorType;
  initiator: string;
  counterpartType: "USER" | "SYSTEM";
  counterpart: string;
  additionalData?: Record<string, unknown>;
  expiresAt?: string;
  redeemedAt?: string;
  rewardRuleId?: string;
  sourceEntityType?: string;
  sourceEntityId?: string;
  /** Why a REJECTED entry was rejected (`wallet.balance_limit`). */
  rejectionCode?: string;
  createdAt: string;
  updatedAt: string;
}

/** A stored ledger entry (what `ledgerPut` writes; keys and index attributes are dropped). */
const ledgerEntrySchema = z.object({
  virtualTransactionId: z.string(),
  virtualTransactionGroupId: z
    .string()
    .openapi({ description: "The operation that wrote it (one per request unless given)" }),
  workspaceId: z.string(),
  userId: z.string(),
  virtualCurrencyId: z.string(),
  direction: z.enum(["CREDIT", "DEBIT"]),
  amount: z.number(),
  state: z.enum(["PENDING", "COMPLETED", "EXPIRED", "REJECTED"]),
  redemptionMode: z.enum(["AUTO", "MANUAL"]),
  initiatorType: z.enum(["USER", "REWARD_RULE", "STREAK_RULE", "SYSTEM", "ADMIN"]),
  initiator: z.string(),
  counterpartType: z.enum(["USER", "SYSTEM"]),
  counterpart: z.string(),
  additionalData: z.record(z.string(), z.unknown()).optional(),
  expiresAt: z
    .string()
    .optional()
    .openapi({ format: "date-time", description: "A PENDING credit past it reads as EXPIRED" }),
  redeemedAt: z.string().optional().openapi({ format: "date-time" }),
  rewardRuleId: z.string().optional(),
  sourceEntityType: z.string().optional(),
  sourceEntityId: z.string().optional(),
  rejectionCode: z
    .string()
    .optional()
    .openapi({ description: "Why a REJECTED entry was rejected", example: "wallet.balance_limit" }),
  createdAt: z.string().openapi({ format: "date-time" }),
  updatedAt: z.string().openapi({ format: "date-time" }),
}) satisfies z.ZodType<LedgerEntry>;

/** The API's virtual transaction: the stored entry without its workspace (`toTransactionResponse`). */
export const virtualTransactionSchema = ledgerEntrySchema.omit({ workspaceId: true }).openapi("VirtualTransaction");
export type VirtualTransaction = z.infer<typeof virtualTransactionSchema>;

/** A stored balance (what `WalletWrites.flush` sets; keys dropped): `amount` counts pending credits. */
export const balanceItemSchema = z.object({
  userId: z.string(),
  virtualCurrencyId: z.string(),
  amount: z.number().openapi({ description: "Completed and pending credits, minus debits" }),
  availableAmount: z.number().openapi({ description: "Completed credits minus debits: what can be spent" }),
  createdAt: z.string().openapi({ format: "date-time" }),
  updatedAt: z.string().openapi({ format: "date-time" }),
});
export type Balance = z.infer<typeof balanceItemSchema>;

export function balanceFromItem(item: Record<string, unknown>): Balance {
  return parseItem(balanceItemSchema, item, "balance");
}

/** Reads a ledger item as its entry (throws on an item that does not match: a generic 500). */
export function ledgerEntryFromItem(item: Record<string, unknown>): LedgerEntry {
  return parseItem(ledgerEntrySchema, item, "ledger entry");
}

/** gsi2 partition of a workspace's PENDING credits that expire (sorted by `expiresAt`). */
export function expiringIndexPk(workspaceId: string): string {
  return INDEX_PK.expiringCredits(workspaceId);
}

function ledgerPut(entry: LedgerEntry) {
  return {
    TableName: tableName(),
    Item: {
      ...transactionKey(entry.workspaceId, entry.userId, entry.virtualTransactionId),
      ...transactionHistoryIndex(entry.workspaceId, entry.userId, entry.createdAt, entry.virtualTransactionId),
      itemType: "VirtualTransaction",
      ...(entry.state === "PENDING" && entry.expiresAt
        ? {
            gsi2pk: expiringIndexPk(entry.workspaceId),
            gsi2sk: `${entry.expiresAt}#${entry.userId}#${entry.virtualTransactionId}`,
          }
        : {}),
      ...entry,
    },
    ConditionExpression: "attribute_not_exists(pk)",
  };
}

/** Whether a credit of `amount` can fit at all (a new balance starts at 0). */
export function creditFits(limits: CurrencyLimits, amount: number): boolean {
  return limits.maxAllowedBalance === undefined || amount <= limits.maxAllowedBalance;
}

interface BalanceDelta {
  workspaceId: string;
  userId: string;
  limits: CurrencyLimits;
  amount: number;
  available: number;
  updatedAt: string;
}

/**
 * Collects the ledger entries of one operation and the net change of each balance they touch
 * (a transaction may update an item only once), then writes them: one Put per entry and one
 * conditional Update per balance. A COMPLETED credit (AUTO) raises both amounts, a PENDING one
 * (MANUAL) only `amount`; a debit lowers both; a REJECTED entry is recorded and changes nothing.
 */
export class WalletWrites {
  readonly entries: LedgerEntry[] = [];
  private readonly deltas = new Map<string, BalanceDelta>();

  credit(entry: LedgerEntry, limits: CurrencyLimits): this {
    this.entries.push(entry);
    if (entry.state === "REJECTED") return this;
    const delta = this.delta(entry, limits);
    delta.amount += entry.amount;
    if (entry.state === "COMPLETED") delta.available += entry.amount;
    return this;
  }

  debit(entry: LedgerEntry, limits: CurrencyLimits): this {
    this.entries.push(entry);
    const delta = this.delta(entry, limits);
    delta.amount -= entry.amount;
    delta.available -= entry.amount;
    return this;
  }

  private delta(entry: LedgerEntry, limits: CurrencyLimits): BalanceDelta {
    const key = `${entry.userId}#${entry.virtualCurrencyId}`;
    let delta = this.deltas.get(key);
    if (!delta) {
      delta = {
        workspaceId: entry.workspaceId,
        userId: entry.userId,
        limits,
        amount: 0,
        available: 0,
        updatedAt: entry.updatedAt,
      };
      this.deltas.set(key, delta);
    }
    return delta;
  }

  /** The net change of each balance the operation touches (credits, debits; rejected entries change none). */
  balanceChanges(): { userId: string; virtualCurrencyId: string; amount: number; availableAmount: number }[] {
    return [...this.deltas.values()]
      .filter((d) => d.amount !== 0 || d.available !== 0)
      .map((d) => ({
        userId: d.userId,
        virtualCurrencyId: d.limits.virtualCurrencyId,
        amount: d.amount,
        availableAmount: d.available,
      }));
  }

  /** Adds the writes to the transaction; balance items are tagged `balance` with `<userId>:<currencyId>`. */
  flush(tx: TransactionBuilder): void {
    for (const entry of this.entries) tx.put(ledgerPut(entry), { kind: "ledger", ref: entry.virtualTransactionId });
    for (const delta of this.deltas.values()) {
      const { limits } = delta;
      const conditions: string[] = [];
      const values: Record<string, unknown> = {
        ":zero": 0,
        ":da": delta.amount,
        ":dv": delta.available,
        ":user": delta.userId,
        ":cur": limits.virtualCurrencyId,
        ":now": delta.updatedAt,
      };
      if (delta.amount > 0 && limits.maxAllowedBalance !== undefined) {
        conditions.push("(attribute_not_exists(amount) OR amount <= :ceiling)");
        values[":ceiling"] = limits.maxAllowedBalance - delta.amount;
      }
      if (delta.available < 0) {
        const floor = limits.minAllowedBalance - delta.available;
        conditions.push(
          floor <= 0
            ? "(attribute_not_exists(availableAmount) OR availableAmount >= :floor)"
            : "availableAmount >= :floor",
        );
        values[":floor"] = floor;
      }
      tx.update(
        {
          TableName: tableName(),
          Key: balanceKey(delta.workspaceId, delta.userId, limits.virtualCurrencyId),
          UpdateExpression:
            "SET amount = if_not_exists(amount, :zero) + :da, availableAmount = if_not_exists(availableAmount, :zero) + :dv, userId = :user, virtualCurrencyId = :cur, updatedAt = :now, createdAt = if_not_exists(createdAt, :now)",
          ...(conditions.length ? { ConditionExpression: conditions.join(" AND ") } : {}),
          ExpressionAttributeValues: values,
        },
        { kind: "balance", ref: `${delta.userId}:${limits.virtualCurrencyId}` },
      );
    }
  }
}

/** Redeeming a PENDING (MANUAL) credit: the entry completes and the funds become available. */
export function addRedeem(tx: TransactionBuilder, entry: LedgerEntry, now: string): void {
  tx.update(
    {
      TableName: tableName(),
      Key: transactionKey(entry.workspaceId, entry.userId, entry.virtualTransactionId),
      UpdateExpression: "SET #state = :completed, redeemedAt = :now, updatedAt = :now REMOVE gsi2pk, gsi2sk",
      ConditionExpression: "#state = :pending AND (attribute_not_exists(expiresAt) OR expiresAt > :now)",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: { ":completed": "COMPLETED", ":pending": "PENDING", ":now": now },
    },
    { kind: "ledger", ref: entry.virtualTransactionId },
  );
  tx.update(
    {
      TableName: tableName(),
      Key: balanceKey(entry.workspaceId, entry.userId, entry.virtualCurrencyId),
      UpdateExpression: "SET availableAmount = availableAmount + :a, updatedAt = :now",
      ConditionExpression: "attribute_exists(availableAmount)",
      ExpressionAttributeValues: { ":a": entry.amount, ":now": now },
    },
    { kind: "balance", ref: `${entry.userId}:${entry.virtualCurrencyId}:redeem` },
  );
}

/** Expiring a PENDING credit past its `expiresAt` (scheduled handler): the pending amount goes. */
export function addExpire(tx: TransactionBuilder, entry: LedgerEntry, now: string): void {
  tx.update(
    {
      TableName: tableName(),
      Key: transactionKey(entry.workspaceId, entry.userId, entry.virtualTransactionId),
      UpdateExpression: "SET #state = :expired, updatedAt = :now REMOVE gsi2pk, gsi2sk",
      ConditionExpression: "#state = :pending AND expiresAt <= :now",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: { ":expired": "EXPIRED", ":pending": "PENDING", ":now": now },
    },
    { kind: "ledger", ref: entry.virtualTransactionId },
  );
  tx.update(
    {
      TableName: tableName(),
      Key: balanceKey(entry.workspaceId, entry.userId, entry.virtualCurrencyId),
      UpdateExpression: "SET amount = amount - :a, updatedAt = :now",
      ExpressionAttributeValues: { ":a": entry.amount, ":now": now },
    },
    { kind: "balance", ref: `${entry.userId}:${entry.virtualCurrencyId}:expire` },
  );
}
