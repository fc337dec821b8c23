import { QuestlineError } from "@questline/contracts";
import type { MiddlewareHandler } from "hono";
import type { CoreEnv } from "../http/env";
import type { FlagName } from "./catalog";
import { loadFlags } from "./reader";

/** Lets the request through only where the flag is on for the caller's workspace (else 403 `feature.disabled`). */
export function requireFlag(flag: FlagName): MiddlewareHandler<CoreEnv> {
  return async (c, next) => {
    const { workspaceId } = c.get("identity");
    if (!(await loadFlags()).isEnabled(flag, workspaceId)) {
      throw new QuestlineError("feature.disabled", `The feature "${flag}" is turned off for this workspace`, {
        details: [{ path: "flag", message: flag }],
      });
    }
    await next();
  };
}
