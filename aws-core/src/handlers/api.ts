import { handle } from "hono/aws-lambda";
import { createApp } from "../app/create-app";

/** API Gateway (HTTP API, IAM auth) → the core's Hono app. Created once per container. */
const app = createApp();

export const handler = handle(app);
