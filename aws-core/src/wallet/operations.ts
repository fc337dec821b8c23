import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { newId, QuestlineError } from "@questline/contracts";
import { documentDb, tableName } from "../db/client";
import { PK, SK, sortKeyPrefix } from "../db/keys";
import { decodeNextToken, encodeNextToken } from "../db/pagination";
import { backoff, commitTransaction, MAX_ATTEMPTS } from "../pipeline/commit";
import { TransactionBuilder } from "../pipeline/transaction";
import { type LiveEntry, loadLiveConfig } from "../records/live";
import { invalid } from "../records/schemas";
import { getUserProfile } from "../users/store";
import type { VirtualCurrencyData } from "./currency";
import { balanceKey, transactionKey } from "./keys";
import {
  addRedeem,
  type CurrencyLimits,
  type InitiatorType,
  type LedgerEntry,
  ledgerEntryFromItem,
  WalletWrites,
} from "./ledger";

export interface TransferItem {
  virtualCurrencyId: string;
  redemptionMode: "AUTO" | "MANUAL";
  amount: number;
  destinationUserId: string;
  /** Dashboard only: debit this user instead of crediting from the system. */
  sourceUserId?: string | undefined;
  expiresAt?: string | undefined;
  additionalData?: Record<string, unknown> | undefined;
  virtualTransactionGroupId?: string | undefined;
}

async function currencyLimits(workspaceId: string, ids: string[]): Promise<Map<string, CurrencyLimits>> {
  const config = await loadLiveConfig(workspaceId);
  const out = new Map<string, CurrencyLimits>();
  for (const [i, id] of ids.entries()) {
    const currency = config.virtualCurrency.get(id) as LiveEntry<VirtualCurrencyData> | undefined;
    if (currency?.data.state !== "PUBLISHED") {
      throw invalid(
        `transactions.${i}.virtualCurrencyId`,
        "no published virtual currency with this id in this workspace",
      );
    }
    out.set(id, {
      virtualCurrencyId: id,
      minAllowedBalance: currency.data.minAllowedBalance ?? 0,
      maxAllowedBalance: currency.data.maxAllowedBalance,
    });
  }
  return out;
}

/**
 * Credits, debits and transfers, all in one transaction. A user transfer (`initiatorType`
 * USER) debits the sender and credits each destination (MANUAL credits stay PENDING until the
 * recipient redeems them). An ADMIN operation credits the destination from the system, or
 * moves funds from `sourceUserId`; a negative amount is an admin debit of the destination.
 * Limits: a failed minimum → 409 `wallet.insufficient_balance`, a failed maximum → 409
 * `wallet.balance_limit`; nothing is written.
 */
export async function executeTransfers(
  workspaceId: string,
  initiator: { type: InitiatorType; id: string; sourceUserId?: string },
  items: TransferItem[],
  now = new Date(),
): Promise<LedgerEntry[]> {
  const limits = await currencyLimits(
    workspaceId,
    items.map((t) => t.virtualCurrencyId),
  );
  const users = new Set(items.flatMap((t) => [t.destinationUserId, ...(t.sourceUserId ? [t.sourceUserId] : [])]));
  for (const userId of users) {
    if (!(await getUserProfile(workspaceId, userId)))
      throw invalid("transactions", `no user ${userId} in this workspace`);
  }
  const at = now.toISOString();
  const groupId = newId();
  const wallet = new WalletWrites();
  for (const [i, item] of items.entries()) {
    const limit = limits.get(item.virtualCurrencyId)!;
    const source = initiator.sourceUserId ?? item.sourceUserId;
    if (source && source === item.destinationUserId)
      throw invalid(`transactions.${i}.destinationUserId`, "cannot transfer to yourself");
    const base = {
      virtualTransactionGroupId: item.virtualTransactionGroupId ?? groupId,
      workspaceId,
      virtualCurrencyId: item.virtualCurrencyId,
      redemptionMode: item.redemptionMode,
      initiatorType: initiator.type,
      initiator: initiator.id,
      ...(item.additionalData ? { additionalData: item.additionalData } : {}),
      createdAt: at,
      updatedAt: at,
    };
    if (item.amount < 0) {
      wallet.debit(
        {
          ...base,
          virtualTransactionId: newId(),
          userId: item.destinationUserId,
          direction: "DEBIT",
          amount: -item.amount,
          state: "COMPLETED",
          counterpartType: "SYSTEM",
          counterpart: "SYSTEM",
        },
        limit,
      );
      continue;
    }
    if (source) {
      wallet.debit(
        {
          ...base,
          virtualTransactionId: newId(),
          userId: source,
          direction: "DEBIT",
          amount: item.amount,
          state: "COMPLETED",
          counterpartType: "USER",
          counterpart: item.destinationUserId,
        },
        limit,
      );
    }
    wallet.credit(
      {
        ...base,
        virtualTransactionId: newId(),
        userId: item.destinationUserId,
        direction: "CREDIT",
        amount: item.amount,
        state: item.redemptionMode === "AUTO" ? "COMPLETED" : "PENDING",
        counterpartType: source ? "USER" : "SYSTEM",
        counterpart: source ?? "SYSTEM",
        ...(item.expiresAt ? { expiresAt: new Date(item.expiresAt).toISOString() } : {}),
      },
      limit,
    );
  }
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const tx = new TransactionBuilder();
    wallet.flush(tx);
    const result = await commitTransaction(tx);
    if (result.ok) return wallet.entries;
    const balance = result.failed.find((t) => t.kind === "balance");
    if (balance && !result.conflict) {
      const [userId, currencyId] = (balance.ref ?? ":").split(":");
      const debited = wallet.entries.some(
        (e) => e.direction === "DEBIT" && e.userId === userId && e.virtualCurrencyId === currencyId,
      );
      throw debited
        ? new QuestlineError("wallet.insufficient_balance", `Insufficient ${currencyId} balance for user ${userId}`)
        : new QuestlineError(
            "wallet.balance_limit",
            `The ${currencyId} balance of user ${userId} would exceed its maximum`,
          );
    }
    if (result.failed.some((t) => t.kind === "ledger"))
      throw new QuestlineError("resource.conflict", "transaction already exists");
    await backoff(attempt);
  }
  throw new QuestlineError("upstream.unavailable", "The wallet is busy; retry");
}

/** The API shape: a PENDING entry past `expiresAt` reads as EXPIRED even before the sweep. */
export function toTransactionResponse(entry: LedgerEntry, now = new Date()): Record<string, unknown> {
  const { workspaceId: _ws, ...rest } = entry;
  const expired =
    entry.state === "PENDING" && entry.expiresAt !== undefined && Date.parse(entry.expiresAt) <= now.getTime();
  return { ...rest, ...(expired ? { state: "EXPIRED" } : {}) };
}

export async function getTransaction(workspaceId: string, userId: string, transactionId: string): Promise<LedgerEntry> {
  const out = await documentDb().send(
    new GetCommand({
      TableName: tableName(),
      Key: transactionKey(workspaceId, userId, transactionId),
      ConsistentRead: true,
    }),
  );
  if (!out.Item) throw new QuestlineError("resource.not_found", `virtual transaction ${transactionId} not found`);
  return ledgerEntryFromItem(out.Item);
}

/** Redeems the user's PENDING credit exactly once; anything else → 409 `resource.invalid_state`. */
export async function redeemTransaction(
  workspaceId: string,
  userId: string,
  transactionId: string,
  now = new Date(),
): Promise<LedgerEntry> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const entry = await getTransaction(workspaceId, userId, transactionId);
    const at = now.toISOString();
    if (entry.direction !== "CREDIT" || entry.state !== "PENDING" || (entry.expiresAt && entry.expiresAt <= at)) {
      throw new QuestlineError(
        "resource.invalid_state",
        `virtual transaction ${transactionId} is not a redeemable pending credit`,
      );
    }
    const tx = new TransactionBuilder();
    addRedeem(tx, entry, at);
    const result = await commitTransaction(tx);
    if (result.ok) return { ...entry, state: "COMPLETED", redeemedAt: at, updatedAt: at };
    if (!result.conflict && result.failed.some((t) => t.kind === "ledger")) continue; // re-read: state changed
    await backoff(attempt);
  }
  throw new QuestlineError("upstream.unavailable", "The wallet is busy; retry");
}

export async function listBalances(workspaceId: string, userId: string) {
  const out = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": PK.user(workspaceId, userId), ":prefix": sortKeyPrefix(SK.balance) },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map(
    ({ pk: _pk, sk: _sk, ...b }) => b as { virtualCurrencyId: string; amount: number; availableAmount: number },
  );
}

export async function getBalance(workspaceId: string, userId: string, currencyId: string) {
  const out = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: balanceKey(workspaceId, userId, currencyId), ConsistentRead: true }),
  );
  if (!out.Item) return null;
  const { pk: _pk, sk: _sk, ...b } = out.Item;
  return b as { virtualCurrencyId: string; amount: number; availableAmount: number };
}

export interface HistoryFilter {
  state?: string | undefined;
  direction?: string | undefined;
  virtualCurrencyId?: string | undefined;
  initiatorType?: string | undefined;
}

/** Ledger history, newest first by default (gsi1 `<userPk>#VTX` / `<createdAt>#<id>`). */
export async function searchTransactions(
  workspaceId: string,
  userId: string,
  options: { limit: number; nextToken?: string | null | undefined; order: "asc" | "desc"; filter?: HistoryFilter },
  now = new Date(),
) {
  const pk = PK.user(workspaceId, userId);
  const filter = options.filter ?? {};
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ":pk": `${pk}#VTX` };
  const clauses: string[] = [];
  for (const field of ["state", "direction", "virtualCurrencyId", "initiatorType"] as const) {
    if (filter[field] !== undefined) {
      names[`#${field}`] = field;
      values[`:${field}`] = filter[field];
      clauses.push(`#${field} = :${field}`);
    }
  }
  const out = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk",
      ...(clauses.length ? { FilterExpression: clauses.join(" AND "), ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
      ScanIndexForward: options.order === "asc",
      Limit: options.limit,
      ExclusiveStartKey: options.nextToken ? decodeNextToken(options.nextToken, pk) : undefined,
    }),
  );
  return {
    items: (out.Items ?? []).map((item) => toTransactionResponse(ledgerEntryFromItem(item), now)),
    nextToken: encodeNextToken(out.LastEvaluatedKey) ?? null,
  };
}
