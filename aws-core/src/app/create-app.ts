import type { OpenAPIHono } from "@hono/zod-openapi";
import { authorizationStep } from "../authorization";
import { bodyGuard } from "../http/body-guard";
import { signedIdentity } from "../http/caller";
import type { CoreEnv } from "../http/env";
import { notFound, onError } from "../http/errors";
import { dashboardWrites } from "../http/guards";
import { idempotency } from "../http/idempotency";
import { documentedRouter } from "../http/openapi";
import { identity, requestId, requireContext } from "../http/request-context";
import type { AnyEventConsumer } from "../pipeline";
import { createAppEventPipeline, EVENT_CONSUMERS } from "./event-pipeline";
import { registerRoutes } from "./routes";

export interface CreateAppOptions {
  /** The event pipeline's consumers (default: `EVENT_CONSUMERS`); tests may add their own. */
  consumers?: readonly AnyEventConsumer[];
}

/** The core's API: one Hono app, run in Lambda by `handlers/api.ts`. */
export function createApp(options: CreateAppOptions = {}): OpenAPIHono<CoreEnv> {
  const events = createAppEventPipeline(options.consumers ?? EVENT_CONSUMERS);
  const app = documentedRouter();
  app.use("*", requestId);
  app.use("*", signedIdentity);
  app.use("*", identity);
  app.use("/dashboard/*", requireContext("dashboard"));
  app.use("/app/*", requireContext("app"));
  app.use("/dashboard/*", dashboardWrites);
  // Cedar: every operation is an action decided by the default and the workspace's policies.
  const authorization = authorizationStep();
  app.use("/dashboard/*", authorization.middleware);
  app.use("/app/*", authorization.middleware);
  app.use("*", bodyGuard());
  app.use("*", async (c, next) => {
    c.set("events", events);
    await next();
  });
  app.use("*", idempotency());

  registerRoutes(app);
  authorization.bind(app);

  app.notFound(notFound);
  app.onError(onError);
  return app;
}
