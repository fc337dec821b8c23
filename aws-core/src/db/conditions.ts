import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";

/**
 * Whether a write failed because one of its conditions did not hold: a single write's
 * `ConditionalCheckFailedException`, or a transaction cancelled with at least one
 * `ConditionalCheckFailed` reason (a transaction cancelled only by a conflict is not).
 * Checked by name as well as by class, since the SDK copies bundled twice are distinct classes.
 */
export function isConditionFailure(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  if (err instanceof TransactionCanceledException) return cancelledByCondition(err.CancellationReasons);
  if (!(err instanceof Error)) return false;
  if (err.name === "ConditionalCheckFailedException") return true;
  if (err.name === "TransactionCanceledException") {
    return cancelledByCondition((err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons);
  }
  return false;
}

function cancelledByCondition(reasons: readonly { Code?: string | undefined }[] | undefined): boolean {
  return (reasons ?? []).some((r) => r.Code === "ConditionalCheckFailed");
}
