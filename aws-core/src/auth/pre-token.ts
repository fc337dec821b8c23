import { CLAIM } from "@questline/contracts";
import type { PreTokenGenerationV2TriggerEvent, PreTokenGenerationV3TriggerEvent } from "aws-lambda";
import { getUser, getWorkspace } from "../tenancy";
import { findAppClient } from "./app-clients";

export type PreTokenEvent = PreTokenGenerationV2TriggerEvent | PreTokenGenerationV3TriggerEvent;

/** Thrown to make Cognito refuse the token: the identity is not (or no longer) valid. */
export class TokenDeniedError extends Error {
  override name = "TokenDeniedError";
}

/**
 * Adds our claims to the access token (Cognito pre-token-generation trigger, event V2/V3).
 *
 * - End users: the Cognito user carries `custom:workspace_id` and `custom:user_id` attributes
 *   (set when the user is provisioned). The user record in DynamoDB is authoritative for the
 *   role and context, so a role change or removal takes effect at the next token.
 * - Machine-to-machine (client credentials, V3 only): the workspace comes from the app
 *   client's registration; the token acts for users through `x-user-id`/`x-external-user-id`.
 *
 * Any mismatch (unknown user, client registered to another workspace) denies the token.
 */
export async function buildAccessTokenClaims(event: PreTokenEvent): Promise<Record<string, string>> {
  const clientId = event.callerContext.clientId;
  const client = await findAppClient(clientId);

  if (event.triggerSource === "TokenGeneration_ClientCredentials") {
    if (!client) throw new TokenDeniedError(`app client ${clientId} is not registered to a workspace`);
    return {
      [CLAIM.workspaceId]: client.workspaceId,
      ...(client.accountId ? { [CLAIM.accountId]: client.accountId } : {}),
      [CLAIM.context]: client.context,
    };
  }

  const attributes = event.request.userAttributes;
  const workspaceId = attributes[CLAIM.workspaceId];
  const userId = attributes[CLAIM.userId];
  if (!workspaceId || !userId) throw new TokenDeniedError("user has no workspace assignment");
  if (client && client.workspaceId !== workspaceId) {
    throw new TokenDeniedError("app client belongs to another workspace");
  }
  const [user, workspace] = await Promise.all([getUser(workspaceId, userId), getWorkspace(workspaceId)]);
  if (!user || !workspace) throw new TokenDeniedError("user is not provisioned in the workspace");
  if (client && client.context !== user.context) {
    throw new TokenDeniedError(`a ${user.context} user cannot sign in through a ${client.context} client`);
  }
  return {
    [CLAIM.workspaceId]: workspaceId,
    [CLAIM.userId]: user.userId,
    [CLAIM.context]: user.context,
    [CLAIM.accountId]: workspace.accountId,
    ...(user.role ? { [CLAIM.role]: user.role } : {}),
    ...(user.lang ? { [CLAIM.lang]: user.lang } : {}),
  };
}

/** Writes the claims into the event's response, as Cognito expects it back. */
export async function addQuestlineClaims<E extends PreTokenEvent>(event: E): Promise<E> {
  const claims = await buildAccessTokenClaims(event);
  event.response.claimsAndScopeOverrideDetails = {
    ...event.response.claimsAndScopeOverrideDetails,
    accessTokenGeneration: {
      ...event.response.claimsAndScopeOverrideDetails?.accessTokenGeneration,
      claimsToAddOrOverride: {
        ...event.response.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride,
        ...claims,
      },
    },
  };
  return event;
}
