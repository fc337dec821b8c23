import type { Logger } from "@aws-lambda-powertools/logger";
import type { Identity } from "@questline/contracts";
import type { LambdaContext, LambdaEvent } from "hono/aws-lambda";

/**
 * The core's Hono environment. `Bindings` are what `hono/aws-lambda` passes (absent when the
 * app is called directly with `app.request()` in tests, hence optional).
 */
export type CoreEnv = {
  Bindings: { event?: LambdaEvent; lambdaContext?: LambdaContext };
  Variables: { identity: Identity; requestId: string; logger: Logger };
};
