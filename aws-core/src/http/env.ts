import type { Logger } from "@aws-lambda-powertools/logger";
import type { Identity } from "@questline/contracts";
import type { LambdaContext, LambdaEvent } from "hono/aws-lambda";
import type { EventPipeline } from "../pipeline/apply-event";

/**
 * The core's Hono environment. `Bindings` are what `hono/aws-lambda` passes (absent when the
 * app is called directly with `app.request()` in tests, hence optional). `events` is the
 * event pipeline the composition root built (`app/event-pipeline.ts`).
 */
export type CoreEnv = {
  Bindings: { event?: LambdaEvent; lambdaContext?: LambdaContext };
  Variables: {
    identity: Identity;
    requestId: string;
    logger: Logger;
    events: EventPipeline;
    policyValidator: PolicyValidator;
  };
};

/** Checks policies against the authorization schema (set by the authorization middleware). */
export interface PolicyValidator {
  /** The Cedar schema (JSON form). */
  readonly schema: unknown;
  validate(policies: readonly { id: string; statement: string }[]): { message: string; help?: string }[];
}
