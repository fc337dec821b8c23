/**
 * `validatingFetch(fetch, { document, reference })`: a fetch whose every response is checked
 * against our OpenAPI document and, where the operation exists there, against the reference.
 * An undocumented route or an off-schema response throws a ContractViolationError (operation,
 * status, JSON pointer of the failure), so the test that produced it fails — unless the
 * mismatch is on the pending list (pending.ts), which names each known one with its reason.
 */
import type { ContractDocument, Mismatch, Operation, ResponseFacts } from "./contract";
import { type PendingMismatch, pendingFor } from "./pending";

export type Against = "document" | "reference";

export interface Violation {
  against: Against;
  /** The document's name, e.g. `docs/openapi.json`. */
  document: string;
  method: string;
  /** The request's path (concrete, e.g. `/app/quizzes/q1`). */
  path: string;
  /** The matched operation (absent: the route is not in the document). */
  operation?: Pick<Operation, "method" | "path" | "operationId">;
  status: number;
  mismatches: Mismatch[];
  /** A short excerpt of the body. */
  body: string;
}

export class ContractViolationError extends Error {
  readonly violation: Violation;
  constructor(violation: Violation) {
    super(describeViolation(violation));
    this.name = "ContractViolationError";
    this.violation = violation;
  }
}

export function describeViolation(v: Violation): string {
  const where = v.operation
    ? `${v.operation.method} ${v.operation.path} (${v.operation.operationId ?? "no operationId"})`
    : `${v.method} ${v.path}`;
  const lines = v.mismatches.slice(0, 8).map((m) => `  at ${m.pointer || "(body)"}: ${m.message}`);
  if (v.mismatches.length > 8) lines.push(`  … and ${v.mismatches.length - 8} more`);
  const label = v.against === "document" ? "our document" : "the reference";
  return [
    `Contract violation against ${label} ${v.document}: ${where} → ${v.status} (request ${v.method} ${v.path})`,
    ...lines,
    `  body: ${v.body}`,
  ].join("\n");
}

export interface ValidatingFetchOptions {
  /** Our document (docs/openapi.json): every route must be in it and every response must match. */
  document: ContractDocument;
  /** Reference documents: checked only for the operations that exist there. */
  reference?: ContractDocument[];
  /** Known mismatches still pending (default: the package's PENDING list). */
  pending?: readonly PendingMismatch[];
  /**
   * `enforce` (default) throws on a violation not on the pending list; `report` throws
   * nothing and hands every violation (pending ones included) to `onViolation` — that is how
   * the pending list is re-derived (see the README).
   */
  mode?: "enforce" | "report";
  /**
   * True for an answer a test stand-in made up and the system only relayed (e.g. the worker
   * tests' core stand-in echoing the request back): it is not the system's answer, so it is
   * not checked. Keep the predicate narrow; the real answers are checked where they are made.
   */
  answeredByStandIn?: (facts: ResponseFacts) => boolean;
  /** Called for each violation (report mode: all; enforce mode: the pending ones it tolerates). */
  onViolation?: (violation: Violation, pending: PendingMismatch | undefined) => void;
}

type FetchLike = (input: never, init?: never) => Promise<Response>;

const excerpt = (body: string) => (body.length > 300 ? `${body.slice(0, 300)}…` : body);

function requestFacts(input: unknown, init: { method?: string } | undefined): { method: string; url: URL } {
  if (typeof Request !== "undefined" && input instanceof Request) {
    return { method: (init?.method ?? input.method).toUpperCase(), url: new URL(input.url) };
  }
  const url = input instanceof URL ? input : new URL(String(input), "http://relative.invalid");
  return { method: (init?.method ?? "GET").toUpperCase(), url };
}

/** Checks one response (its facts) against our document and the references; returns the violations. */
export function checkResponse(
  options: Pick<ValidatingFetchOptions, "document" | "reference">,
  method: string,
  path: string,
  facts: ResponseFacts,
): Violation[] {
  const violations: Violation[] = [];
  const body = excerpt(facts.body);
  const ours = options.document.match(method, path);
  if (!ours) {
    violations.push({
      against: "document",
      document: options.document.name,
      method,
      path,
      status: facts.status,
      mismatches: [{ pointer: "", message: `undocumented route: no operation for ${method} ${path}` }],
      body,
    });
  } else {
    const mismatches = options.document.check(ours, facts);
    if (mismatches.length) {
      violations.push({
        against: "document",
        document: ours.document,
        method,
        path,
        operation: ours,
        status: facts.status,
        mismatches,
        body,
      });
    }
  }
  for (const reference of options.reference ?? []) {
    // The reference's operation for our operation's template (for an undocumented route: the path).
    const theirs = ours ? reference.match(method, ours.path, { template: true }) : reference.match(method, path);
    if (!theirs) continue;
    // The reference's success codes are the contract; for an error status the body is checked
    // only when the reference documents that status (it lists few errors, mostly without a body).
    const success = facts.status >= 200 && facts.status < 300;
    const mismatches = reference.check(theirs, facts, {
      statusMustBeDocumented: success,
      contentMustBeDocumented: success,
    });
    if (mismatches.length) {
      violations.push({
        against: "reference",
        document: theirs.document,
        method,
        path,
        operation: theirs,
        status: facts.status,
        mismatches,
        body,
      });
    }
  }
  return violations;
}

/** Wraps `fetch`: each response is read (a clone; the caller gets the original) and checked. */
export function validatingFetch<F extends FetchLike>(fetch: F, options: ValidatingFetchOptions): F {
  const mode = options.mode ?? "enforce";
  const wrapped = async (input: unknown, init?: { method?: string }) => {
    const { method, url } = requestFacts(input, init);
    const response = await (fetch as unknown as (i: unknown, n?: unknown) => Promise<Response>)(input, init);
    // A redirect followed by fetch has another URL; the check is about the route that answered.
    const answered = response.url ? new URL(response.url) : url;
    const body = method === "HEAD" || response.body === null ? "" : await response.clone().text();
    const facts: ResponseFacts = {
      method,
      status: response.status,
      contentType: response.headers.get("content-type"),
      body,
    };
    if (options.answeredByStandIn?.(facts)) return response;
    for (const violation of checkResponse(options, method, answered.pathname, facts)) {
      const pending = pendingFor(violation, options.pending);
      if (mode === "report" || pending) {
        options.onViolation?.(violation, pending);
        continue;
      }
      throw new ContractViolationError(violation);
    }
    return response;
  };
  return wrapped as unknown as F;
}
