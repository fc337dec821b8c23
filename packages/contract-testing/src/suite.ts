/**
 * What the test suites wrap their fetch with: our document, the reference and the pending
 * list, in one call. `audit: true` (CONTRACT_AUDIT=1 in the environment that runs the suite)
 * fails nothing and prints every violation, pending ones included, as one
 * `CONTRACT-VIOLATION {json}` line — the input for re-deriving the pending list (README).
 */
import { questlineDocument, referenceDocuments } from "./documents";
import { PENDING } from "./pending";
import { type ValidatingFetchOptions, type Violation, validatingFetch } from "./validating-fetch";

export const AUDIT_MARKER = "CONTRACT-VIOLATION";

/** One line per violation: what the audit collects. */
export function auditLine(violation: Violation, pendingReason: string | undefined): string {
  return `${AUDIT_MARKER} ${JSON.stringify({
    against: violation.against,
    document: violation.document,
    method: violation.method,
    operation: violation.operation ? `${violation.operation.method} ${violation.operation.path}` : null,
    operationId: violation.operation?.operationId ?? null,
    path: violation.path,
    status: violation.status,
    mismatches: violation.mismatches.slice(0, 5),
    pending: pendingReason ?? null,
  })}`;
}

type FetchLike = (input: never, init?: never) => Promise<Response>;

export function contractFetch<F extends FetchLike>(
  fetch: F,
  options: Pick<ValidatingFetchOptions, "answeredByStandIn"> & { audit?: boolean } = {},
): F {
  return validatingFetch(fetch, {
    ...(options.answeredByStandIn ? { answeredByStandIn: options.answeredByStandIn } : {}),
    document: questlineDocument,
    reference: referenceDocuments,
    pending: PENDING,
    mode: options.audit ? "report" : "enforce",
    onViolation: options.audit ? (v, pending) => console.log(auditLine(v, pending?.reason)) : undefined,
  });
}
