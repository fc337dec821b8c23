import { addQuestlineClaims, type PreTokenEvent } from "../auth/pre-token";
import { logger } from "../logging";

/** Cognito pre-token-generation trigger (V2/V3 events): adds the workspace/user/role claims. */
export async function handler(event: PreTokenEvent): Promise<PreTokenEvent> {
  try {
    return await addQuestlineClaims(event);
  } catch (err) {
    logger.warn("access token denied", { triggerSource: event.triggerSource, error: String(err) });
    throw err;
  }
}
