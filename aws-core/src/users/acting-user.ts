import { QuestlineError } from "@questline/contracts";
import type { Context } from "hono";
import type { CoreEnv } from "../http/env";
import { getUserByExternalId } from "../tenancy";

/**
 * The user an app request acts for: the end user's own id, or the user an M2M client
 * delegates to with `x-user-id` (the edge puts it in the identity) or `x-external-user-id`
 * (resolved here; an unknown external id is 404). Never taken from the body.
 */
export async function actingUserId(c: Context<CoreEnv>): Promise<string> {
  const identity = c.get("identity");
  if (identity.userId) return identity.userId;
  if (identity.externalUserId) {
    const user = await getUserByExternalId(identity.workspaceId, identity.externalUserId);
    if (!user) throw new QuestlineError("resource.not_found", `No user with external id ${identity.externalUserId}`);
    return user.userId;
  }
  throw new QuestlineError("auth.forbidden", "This operation must be performed on behalf of a user");
}
