import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { QuestlineError } from "@questline/contracts";
import { documentDb } from "../db/client";
import { MAX_TRANSACT_ITEMS, type TransactionBuilder, type TransactTag } from "./transaction";

export type CommitResult =
  | { ok: true }
  /** Conditions that failed (tags of the failing items); `conflict` when another transaction was in the way. */
  | { ok: false; failed: TransactTag[]; conflict: boolean };

/** Counts TransactWriteItems calls (read by the ingestion benchmark). */
export const commitCounter = { transactions: 0 };

/** Runs the builder's items as one TransactWriteItems call and reports which conditions failed. */
export async function commitTransaction(tx: TransactionBuilder): Promise<CommitResult> {
  if (tx.size === 0) return { ok: true };
  if (tx.size > MAX_TRANSACT_ITEMS) {
    throw new QuestlineError(
      "request.too_large",
      `This operation needs ${tx.size} writes; at most ${MAX_TRANSACT_ITEMS} fit in one transaction`,
    );
  }
  try {
    commitCounter.transactions++;
    await documentDb().send(new TransactWriteCommand({ TransactItems: tx.items }));
    return { ok: true };
  } catch (err) {
    if (err instanceof TransactionCanceledException) {
      const reasons = err.CancellationReasons ?? [];
      const failed = reasons.flatMap((r, i) => (r.Code === "ConditionalCheckFailed" ? [tx.tags[i]!] : []));
      const conflict = reasons.some((r) => r.Code === "TransactionConflict");
      return { ok: false, failed, conflict: conflict || failed.length === 0 };
    }
    if (
      err instanceof Error &&
      (err.name === "TransactionConflictException" || err.name === "TransactionInProgressException")
    ) {
      return { ok: false, failed: [], conflict: true };
    }
    throw err;
  }
}

/** Full-jitter exponential backoff between optimistic retries. */
export function backoff(attempt: number): Promise<void> {
  const cap = Math.min(200, 5 * 2 ** Math.min(attempt, 6));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
}

export const MAX_ATTEMPTS = 60;
