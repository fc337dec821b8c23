import { loadCoreConfig } from "../config";
import { logger } from "../logging";
import { listWorkspaceIds } from "../tenancy";
import { deliverDue } from "../webhooks";

/**
 * The webhook runner (EventBridge Scheduler every minute in production): sends every
 * workspace's due webhook deliveries — retries on their schedule, and first attempts the
 * stream handler did not get to (docs/webhooks.md). It runs outside the VPC, because
 * receivers are on the internet (the scheduled handler is inside it, beside Redis).
 * One workspace's failure is logged and does not stop the others.
 */
export interface WebhookRunEvent {
  workspaceIds?: string[];
  time?: string;
}

export interface WebhookRunResult {
  workspaces: number;
  attempted: number;
  delivered: number;
  failed: number;
}

await loadCoreConfig();

export async function handler(event: WebhookRunEvent = {}): Promise<WebhookRunResult> {
  await loadCoreConfig();
  const now = event.time ? new Date(event.time) : new Date();
  const result: WebhookRunResult = { workspaces: 0, attempted: 0, delivered: 0, failed: 0 };
  for await (const workspaceId of event.workspaceIds ?? listWorkspaceIds()) {
    result.workspaces++;
    try {
      const run = await deliverDue(workspaceId, { now });
      result.attempted += run.attempted;
      result.delivered += run.delivered;
      result.failed += run.failed;
    } catch (err) {
      logger.error("webhook run failed", { workspaceId, error: err instanceof Error ? err.message : String(err) });
    }
  }
  if (result.attempted) logger.info("webhook run", { ...result });
  return result;
}
