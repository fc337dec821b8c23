import { errorHandler, notFoundHandler } from "@questline/edge/error-handler";
import { requestId } from "@questline/edge/request-id";
import { requiredConfiguration } from "@questline/edge/required-config";
import { Hono } from "hono";
import { batchesRoute } from "./apply/route";
import { type AppEnv, REQUIRED_BINDINGS } from "./env";
import { healthRoute } from "./health/route";
import { inventoryRoute } from "./inventory/route";

/**
 * The indexer worker: applies signed batches of index operations from the AWS core to the
 * D1 catalog index, serves the reconcile tool's inventory, and reports stream lag.
 */
const app = new Hono<AppEnv>();

// The edge's request id, error body and log lines; the id is Cloudflare's ray id (its
// callers send none, and it is picked before their signature is checked).
app.use(requestId<AppEnv>({ from: ["cf-ray"] }));
app.onError(errorHandler);
app.notFound(notFoundHandler);
// A missing secret is a clear 500 `internal.misconfigured` naming it, on every request.
app.use(requiredConfiguration<AppEnv>(REQUIRED_BINDINGS));

app.route("/batches", batchesRoute);
app.route("/inventory", inventoryRoute);
app.route("/health", healthRoute);

export default app;
