import { Hono } from "hono";
import type { CoreEnv } from "../http/env";
import { notFound, onError } from "../http/errors";
import { idempotency } from "../http/idempotency";
import { identity, requestId, requireContext } from "../http/request-context";
import type { AnyEventConsumer } from "../pipeline";
import { createAppEventPipeline, EVENT_CONSUMERS } from "./event-pipeline";
import { registerRoutes } from "./routes";

export interface CreateAppOptions {
  /** The event pipeline's consumers (default: `EVENT_CONSUMERS`); tests may add their own. */
  consumers?: readonly AnyEventConsumer[];
}

/** The core's API: one Hono app, run in Lambda by `handlers/api.ts`. */
export function createApp(options: CreateAppOptions = {}): Hono<CoreEnv> {
  const events = createAppEventPipeline(options.consumers ?? EVENT_CONSUMERS);
  const app = new Hono<CoreEnv>();
  app.use("*", requestId);
  app.use("*", identity);
  app.use("/dashboard/*", requireContext("dashboard"));
  app.use("/app/*", requireContext("app"));
  app.use("*", async (c, next) => {
    c.set("events", events);
    await next();
  });
  app.use("*", idempotency());

  registerRoutes(app);

  app.notFound(notFound);
  app.onError(onError);
  return app;
}
