import { handle } from "hono/aws-lambda";
import { createApp } from "../app/create-app";
import { loadCoreConfig } from "../config";

/**
 * API Gateway (HTTP API, IAM auth) → the core's Hono app. Created once per container; the
 * stage's configuration is read during init (an invalid parameter fails the init, naming it)
 * and refreshed before each request from Powertools' cache (aws-core/src/config).
 */
const app = createApp();
const serve = handle(app);
await loadCoreConfig();

export const handler: typeof serve = async (event, context) => {
  await loadCoreConfig();
  return serve(event, context);
};
