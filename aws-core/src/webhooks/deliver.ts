import { logger } from "../logging";
import {
  type Attempt,
  claimDelivery,
  type DeliveryRef,
  type DeliveryStatus,
  dueDeliveries,
  recordAttempt,
  type StoredDelivery,
} from "./deliveries";
import { getEndpoint, type StoredEndpoint } from "./endpoints";
import { signDelivery } from "./secrets";

/**
 * Sending deliveries: one signed POST per attempt (any 2xx is success), retried on the
 * schedule below with ±20 % jitter, then FAILED. Attempts are recorded on the delivery.
 */
export const RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000] as const;
export const DELIVERY_TIMEOUT_MS = 15_000;
const EXCERPT_CHARS = 256;
/** Deliveries sent at once by one runner. */
const CONCURRENCY = 8;

/**
 * Whether a handler runs webhook deliveries (`WEBHOOKS_ENABLED=true`): production sets it on
 * the stream function and the webhook runner (handlers/webhooks.ts); the local stack and the
 * tests set it everywhere, the scheduled handler included.
 */
export function webhooksEnabled(): boolean {
  return process.env.WEBHOOKS_ENABLED === "true";
}

export interface DeliverOptions {
  /** The clock deliveries are due by (the scheduled handler's time); signatures use the real clock. */
  now?: Date;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** When attempt `attempt` (1-based) failed at `at`: the next attempt's time, or null for FAILED. */
export function nextAttemptAfter(attempt: number, at: Date, random = Math.random): Date | null {
  const delay = RETRY_DELAYS_MS[attempt - 1];
  if (delay === undefined) return null;
  return new Date(at.getTime() + Math.round(delay * (0.8 + 0.4 * random())));
}

async function post(
  endpoint: StoredEndpoint,
  delivery: StoredDelivery,
  options: DeliverOptions,
): Promise<Omit<Attempt, "attempt">> {
  const sentAt = new Date();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  try {
    const res = await (options.fetch ?? fetch)(endpoint.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Questline-Webhooks/1",
        ...signDelivery(delivery.eventId, delivery.body, endpoint.secrets, sentAt),
      },
      body: delivery.body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text().catch(() => "");
    const ok = res.status >= 200 && res.status < 300;
    return {
      at: sentAt.toISOString(),
      statusCode: res.status,
      durationMs: elapsed(),
      error: ok ? null : `HTTP ${res.status}`,
      responseExcerpt: text ? text.slice(0, EXCERPT_CHARS) : null,
    };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
    return {
      at: sentAt.toISOString(),
      statusCode: null,
      durationMs: elapsed(),
      error: timedOut
        ? `timed out after ${timeoutMs} ms`
        : `${err instanceof Error ? err.message : String(err)}${cause}`,
      responseExcerpt: null,
    };
  }
}

/**
 * One attempt of one delivery, when it is due and nobody else has it: claim, send, record.
 * Answers the status it ended in, or null when it was not taken.
 */
export async function attemptDelivery(ref: DeliveryRef, options: DeliverOptions = {}): Promise<DeliveryStatus | null> {
  const now = options.now ?? new Date();
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const claimed = await claimDelivery(ref, now, new Date(now.getTime() + timeoutMs + 5_000));
  if (!claimed) return null;
  const endpoint = await getEndpoint(ref.workspaceId, ref.endpointId);
  const result: Omit<Attempt, "attempt"> =
    endpoint?.enabled === true
      ? await post(endpoint, claimed, options)
      : {
          at: new Date().toISOString(),
          statusCode: null,
          durationMs: 0,
          error: endpoint ? "endpoint disabled" : "endpoint deleted",
          responseExcerpt: null,
        };
  const delivered = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const next = delivered || !endpoint ? null : nextAttemptAfter(claimed.attemptCount, now);
  const status: DeliveryStatus = delivered ? "DELIVERED" : next ? "PENDING" : "FAILED";
  await recordAttempt(claimed, { attempt: claimed.attemptCount, ...result }, { status, nextAttemptAt: next });
  return status;
}

export interface DeliveryRun {
  attempted: number;
  delivered: number;
  failed: number;
}

/**
 * Attempts deliveries, a few at a time; one delivery's failure (even to record it) is logged
 * and never stops the others.
 */
export async function attemptDeliveries(
  refs: readonly DeliveryRef[],
  options: DeliverOptions = {},
): Promise<DeliveryRun> {
  const run: DeliveryRun = { attempted: 0, delivered: 0, failed: 0 };
  const queue = [...refs];
  const worker = async () => {
    for (let ref = queue.shift(); ref; ref = queue.shift()) {
      try {
        const status = await attemptDelivery(ref, options);
        if (status === null) continue;
        run.attempted++;
        if (status === "DELIVERED") run.delivered++;
        if (status === "FAILED") run.failed++;
      } catch (err) {
        logger.error("webhook delivery attempt failed", {
          ...ref,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  return run;
}

/** The scheduled sweep's part: every due delivery of a workspace (retries, and first attempts that were missed). */
export async function deliverDue(workspaceId: string, options: DeliverOptions = {}): Promise<DeliveryRun> {
  const refs = await dueDeliveries(workspaceId, options.now ?? new Date());
  return refs.length ? attemptDeliveries(refs, options) : { attempted: 0, delivered: 0, failed: 0 };
}
