import { newId } from "@questline/contracts";
import { recordRef } from "../../records/kinds";
import { currentRegion, getCatalogRecord } from "../../records/store";
import { evaluateCondition } from "../../rules/jsonlogic";
import { loadRuleUser } from "../../users/rule-user";
import { ruleActive } from "../rules/model";
import { loadLiveRules } from "../rules/store";
import { type Assignment, createAssignment, listUserAssignments } from "./store";

/**
 * LAZY assignment: when a user lists their assignments, every published, active ASSIGN rule
 * whose `usersMatchCondition` accepts the user assigns each published path of its pool the
 * user does not have yet (one assignment per user and path, whoever races). The visibility is
 * decided once, at assignment: `initialVisibilityCondition` (true → UNLOCKED), else
 * `initialVisibility`.
 */
export async function assignFromRules(workspaceId: string, userId: string, now = new Date()): Promise<Assignment[]> {
  const [rules, existing] = await Promise.all([
    loadLiveRules(workspaceId, "ASSIGN"),
    listUserAssignments(workspaceId, userId),
  ]);
  const active = rules.filter(({ rule }) => rule.assignmentMode === "LAZY" && ruleActive(rule, now));
  if (active.length === 0) return existing;
  const user = await loadRuleUser(workspaceId, userId);
  const have = new Set(existing.map((a) => a.learningPathId));
  const at = now.toISOString();
  let created = false;
  for (const { learningPathRuleId, rule } of active) {
    if (rule.usersMatchCondition !== null && !evaluateCondition(rule.usersMatchCondition, { user }, now)) continue;
    const visibility =
      rule.initialVisibilityCondition !== null && rule.initialVisibilityCondition !== undefined
        ? evaluateCondition(rule.initialVisibilityCondition, { user }, now)
          ? "UNLOCKED"
          : "LOCKED"
        : rule.initialVisibility;
    for (const learningPathId of rule.learningPathsPool) {
      if (have.has(learningPathId)) continue;
      const path = await getCatalogRecord(recordRef({ workspaceId }, "learningPath", learningPathId));
      if (path?.catalog.state !== "PUBLISHED") continue;
      have.add(learningPathId);
      created =
        (await createAssignment({
          learningPathAssignmentId: newId(),
          learningPathId,
          userId,
          workspaceId,
          sourceRegion: currentRegion(),
          learningPathRuleId,
          ...(rule.groupId ? { groupId: rule.groupId } : {}),
          periodId: rule.timeframeType === "RANGE" ? rule.timeframeStartsAt : "PERMANENT",
          timeframeType: rule.timeframeType,
          startsAt: rule.timeframeStartsAt,
          ...(rule.timeframeEndsAt ? { endsAt: rule.timeframeEndsAt } : {}),
          visibility,
          currentAttempt: 1,
          createdAt: at,
          updatedAt: at,
          rev: 1,
        })) || created;
    }
  }
  return created ? listUserAssignments(workspaceId, userId) : existing;
}
