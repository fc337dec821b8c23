import { type LiveConfig, loadLiveConfig } from "../../records/live";
import type { LearningPathRuleData } from "./model";

export interface LiveRule {
  learningPathRuleId: string;
  rule: LearningPathRuleData;
}

/** The published learning path rules (the live snapshots the engine runs), optionally of one type. */
export function liveRulesOf(config: LiveConfig, ruleType?: LearningPathRuleData["ruleType"]): LiveRule[] {
  const out: LiveRule[] = [];
  for (const entry of config.learningPathRule.values()) {
    const rule = entry.data as LearningPathRuleData;
    if (!ruleType || rule.ruleType === ruleType) out.push({ learningPathRuleId: entry.id, rule });
  }
  return out;
}

/** Like `liveRulesOf`, from the workspace's cached live configuration. */
export async function loadLiveRules(
  workspaceId: string,
  ruleType?: LearningPathRuleData["ruleType"],
): Promise<LiveRule[]> {
  return liveRulesOf(await loadLiveConfig(workspaceId), ruleType);
}
