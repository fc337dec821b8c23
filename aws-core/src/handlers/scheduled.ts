import { loadCoreConfig } from "../config";
import { backfillLiveStructure } from "../content/live-structure";
import { logger } from "../logging";
import { settleStreaks } from "../streaks/service";
import { listWorkspaceIds } from "../tenancy";
import { expirePendingTransactions } from "../wallet/expiry";
import { deliverDue, webhooksEnabled } from "../webhooks";

/**
 * The scheduled handler (EventBridge Scheduler every 5 minutes in production; the local stack
 * invokes it on a timer). Mission, leaderboard and rule states follow from time and need no
 * tick; the side effects that do run here, per workspace:
 * - expiring PENDING virtual-currency credits past `expiresAt`;
 * - settling streaks whose period ended (freezes charged or streaks broken), so a user who
 *   never comes back still sees the right state and calendar;
 * - webhook deliveries that are due, when `WEBHOOKS_ENABLED=true` (retries on their schedule, and first attempts the stream
 *   handler did not get to; docs/webhooks.md);
 * - once per workspace, the LIVE entries of learning paths and groups published before those
 *   entries existed (content/live-structure.ts; one GetItem per sweep afterwards).
 * The input may name the workspaces to sweep; by default every workspace is swept.
 * One workspace's failure is logged and does not stop the others.
 */
export interface ScheduledEvent {
  workspaceIds?: string[];
  time?: string;
}

export interface ScheduledResult {
  workspaces: number;
  expired: number;
  streaksSettled: number;
  /** Webhook delivery attempts made. */
  webhookAttempts: number;
  failed: number;
}

await loadCoreConfig();

export async function handler(event: ScheduledEvent = {}): Promise<ScheduledResult> {
  await loadCoreConfig();
  const now = event.time ? new Date(event.time) : new Date();
  const result: ScheduledResult = {
    workspaces: 0,
    expired: 0,
    streaksSettled: 0,
    webhookAttempts: 0,
    failed: 0,
  };
  const workspaceIds = event.workspaceIds ?? listWorkspaceIds();
  for await (const workspaceId of workspaceIds) {
    result.workspaces++;
    try {
      result.expired += await expirePendingTransactions(workspaceId, now);
      result.streaksSettled += await settleStreaks(workspaceId, now);
      await backfillLiveStructure(workspaceId);
      if (webhooksEnabled()) result.webhookAttempts += (await deliverDue(workspaceId, { now })).attempted;
    } catch (err) {
      result.failed++;
      logger.error("scheduled sweep failed", { workspaceId, error: err instanceof Error ? err.message : String(err) });
    }
  }
  logger.info("scheduled sweep done", { ...result });
  return result;
}
