import { newId, paginationQuerySchema, QuestlineError } from "@questline/contracts";
import { Hono } from "hono";
import { entityRef } from "../../db/keys";
import { getVersioned } from "../../db/versioned";
import { assertReferencesExist, catalogReference } from "../../engine/references";
import { invalid } from "../../engine/schemas";
import type { CoreEnv } from "../../http/env";
import { requireWriter } from "../../http/guards";
import { readJson, readQuery } from "../../http/validation";
import { expectedVersion } from "../resource";
import { applyRuleUpdate, createRuleSchema, type LearningPathRuleData, newRuleData, updateRuleSchema } from "./model";
import { listRules, putRule, requireRule, type StoredRule, toRuleView } from "./store";

async function assertPathsExist(workspaceId: string, data: LearningPathRuleData): Promise<void> {
  const ids = data.ruleType === "ASSIGN" ? data.learningPathsPool : [data.unlockLearningPathId ?? ""];
  const field = data.ruleType === "ASSIGN" ? "learningPathsPool" : "unlockLearningPathId";
  for (const id of ids) {
    const path = await getVersioned(entityRef({ workspaceId }, "learningPath", id));
    if (path?.catalog.state !== "PUBLISHED") throw invalid(field, `learning path ${id} is not a published path`);
  }
}

/**
 * On save, the paths a rule names must exist in the workspace (draft or published; publishing
 * then requires them published). Only the fields the body sets are checked.
 */
async function assertPathsNamed(
  workspaceId: string,
  input: { learningPathsPool?: string[] | undefined; unlockLearningPathId?: string | undefined },
): Promise<void> {
  const path = (field: string, id: string) => catalogReference(workspaceId, field, "learningPath", id, "learning path");
  await assertReferencesExist([
    ...(input.learningPathsPool ?? []).map((id, i) => path(`learningPathsPool.${i}`, id)),
    ...(input.unlockLearningPathId ? [path("unlockLearningPathId", input.unlockLearningPathId)] : []),
  ]);
}

function checkVersion(rule: StoredRule, header: string | undefined): void {
  const expected = expectedVersion(header);
  if (expected !== undefined && expected !== rule.version) {
    throw new QuestlineError("resource.conflict", `rule ${rule.learningPathRuleId} is at version ${rule.version}`);
  }
}

/** `/dashboard/learning-path-rules` (reference: dashboard `learningPathRules/*`): CRUD + publish. */
export function learningPathRuleRoutes() {
  const routes = new Hono<CoreEnv>();

  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, createRuleSchema);
    const at = new Date().toISOString();
    const rule: StoredRule = {
      learningPathRuleId: input.learningPathRuleId ?? newId(),
      workspaceId: identity.workspaceId,
      version: 1,
      createdAt: at,
      updatedAt: at,
      data: newRuleData(input),
    };
    await assertPathsNamed(identity.workspaceId, input);
    await putRule(rule, null);
    return c.json(toRuleView(rule), 201);
  });

  routes.get("/", async (c) => {
    const { limit, nextToken } = readQuery(c, paginationQuerySchema);
    const page = await listRules(c.get("identity").workspaceId, { limit, nextToken });
    return c.json({ items: page.items.map(toRuleView), nextToken: page.nextToken ?? null });
  });

  routes.get("/:id", async (c) => {
    return c.json(toRuleView(await requireRule(c.get("identity").workspaceId, c.req.param("id"))));
  });

  routes.put("/:id", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, updateRuleSchema);
    const current = await requireRule(identity.workspaceId, c.req.param("id"));
    checkVersion(current, c.req.header("if-match"));
    const data = applyRuleUpdate(current.data, input);
    await assertPathsNamed(identity.workspaceId, input);
    const next: StoredRule = {
      ...current,
      version: current.version + 1,
      updatedAt: new Date().toISOString(),
      data: { ...data, ...(current.data.state === "PUBLISHED" ? { hasUnpublishedChanges: true } : {}) },
    };
    await putRule(next, current.version);
    return c.json(toRuleView(next));
  });

  routes.post("/:id/publish", async (c) => {
    const identity = requireWriter(c);
    const current = await requireRule(identity.workspaceId, c.req.param("id"));
    checkVersion(current, c.req.header("if-match"));
    if (current.data.state === "PUBLISHED" && !current.data.hasUnpublishedChanges) {
      throw new QuestlineError(
        "resource.invalid_state",
        `rule ${current.learningPathRuleId} has no unpublished changes`,
      );
    }
    await assertPathsExist(identity.workspaceId, current.data);
    const at = new Date().toISOString();
    const { hasUnpublishedChanges: _dropped, ...rest } = current.data;
    const data: LearningPathRuleData = { ...rest, state: "PUBLISHED", publishedAt: at };
    const next: StoredRule = { ...current, version: current.version + 1, updatedAt: at, data, live: data };
    await putRule(next, current.version);
    return c.json(toRuleView(next));
  });

  return routes;
}
