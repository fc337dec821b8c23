import type { RuleUser } from "../events/types";
import { getUserProfile } from "./store";

/** The user as rules see it (`user` in JsonLogic); an unknown user has no tags and the UTC zone. */
export async function loadRuleUser(workspaceId: string, userId: string): Promise<RuleUser> {
  const profile = await getUserProfile(workspaceId, userId);
  if (!profile) return { userId, tags: [], timezone: "UTC" };
  return { ...profile, userId, tags: profile.tags };
}
