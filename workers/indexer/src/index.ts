import { QuestlineError, toErrorResponse } from "@questline/contracts";
import { Hono } from "hono";
import { batchesRoute } from "./apply/route";
import type { AppEnv } from "./env";
import { healthRoute } from "./health/route";
import { inventoryRoute } from "./inventory/route";

/**
 * The indexer worker: applies signed batches of index operations from the AWS core to the
 * D1 catalog index, serves the reconcile tool's inventory, and reports stream lag.
 */
const app = new Hono<AppEnv>();

app.use(async (c, next) => {
  c.set("requestId", c.req.header("cf-ray") ?? crypto.randomUUID());
  await next();
});

app.route("/batches", batchesRoute);
app.route("/inventory", inventoryRoute);
app.route("/health", healthRoute);

app.notFound((c) => {
  const { status, body } = toErrorResponse(
    new QuestlineError("resource.not_found", "No such route"),
    c.get("requestId"),
  );
  return c.json(body, status as 404);
});

app.onError((err, c) => {
  const requestId = c.get("requestId") ?? crypto.randomUUID();
  if (!(err instanceof QuestlineError)) {
    console.error(JSON.stringify({ msg: "unhandled error", requestId, error: String(err) }));
  }
  const { status, body, headers } = toErrorResponse(err, requestId);
  return c.json(body, status as 400, headers);
});

export default app;
