export { WEBHOOK_EVENT_TYPES } from "./catalog";
export { type DeliveryRun, deliverDue, RETRY_DELAYS_MS, webhooksEnabled } from "./deliver";
export { deliverStreamBatch, enqueueStreamBatch } from "./enqueue";
export { webhookRoutes } from "./routes";
