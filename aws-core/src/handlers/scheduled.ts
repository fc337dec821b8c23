import { logger } from "../logging";
import { expirePendingTransactions } from "../wallet/expiry";

/**
 * The scheduled handler (EventBridge schedule; the local stack invokes it on a timer). Mission
 * and rule states follow from time and need no tick; the side effects that do are run here:
 * expiring PENDING virtual-currency credits past `expiresAt`. The schedule's input names the
 * workspaces to sweep (`{ "workspaceIds": [...] }`).
 */
export interface ScheduledEvent {
  workspaceIds?: string[];
  time?: string;
}

export async function handler(event: ScheduledEvent = {}): Promise<{ expired: number }> {
  const now = event.time ? new Date(event.time) : new Date();
  let expired = 0;
  for (const workspaceId of event.workspaceIds ?? []) {
    try {
      expired += await expirePendingTransactions(workspaceId, now);
    } catch (err) {
      logger.error("scheduled sweep failed", { workspaceId, error: err instanceof Error ? err.message : String(err) });
    }
  }
  logger.info("scheduled sweep done", { expired, workspaces: event.workspaceIds?.length ?? 0 });
  return { expired };
}
