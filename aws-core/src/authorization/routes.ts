import { policySetTextToParts } from "@cedar-policy/cedar-wasm/nodejs";
import { z } from "@hono/zod-openapi";
import { entityIdSchema, newId, QuestlineError } from "@questline/contracts";
import type { Context } from "hono";
import { requireFlag } from "../flags";
import type { CoreEnv } from "../http/env";
import { expectedVersion } from "../http/if-match";
import {
  type DocumentedOperation,
  documentedRouter,
  documentOperation,
  ifMatchHeader,
  pageSchema,
} from "../http/openapi";
import { readJson } from "../http/validation";
import { DEFAULT_POLICIES } from "./policies";
import {
  deletePolicy,
  listPolicies,
  MAX_POLICIES_PER_WORKSPACE,
  requirePolicy,
  type StoredPolicy,
  savePolicy,
} from "./store";

const TAG = "Authorization";

const statementSchema = z.string().min(1).max(10_000).openapi({
  description: "One Cedar policy (a `permit` or `forbid`), validated against `GET /dashboard/authorization/schema`",
  example:
    'permit (principal in Questline::Role::"editor", action == Questline::Action::"dashboard/virtualTransactions/create", resource);',
});

const policyInputSchema = z.strictObject({
  policyId: entityIdSchema.optional().openapi({ description: "Chosen id (default: generated)" }),
  description: z.string().max(500).default(""),
  statement: statementSchema,
});
const policyUpdateSchema = z.strictObject({ description: z.string().max(500).default(""), statement: statementSchema });

const policySchema = z
  .object({
    policyId: z.string(),
    workspaceId: z.string(),
    description: z.string(),
    statement: z.string(),
    version: z.number().int().positive(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("AuthorizationPolicy");

const defaultPolicySchema = z
  .object({ policyId: z.string(), description: z.string(), statement: z.string() })
  .openapi("DefaultAuthorizationPolicy");

function view(p: StoredPolicy) {
  return {
    policyId: p.policyId,
    workspaceId: p.workspaceId,
    description: p.description,
    statement: p.statement,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** One static policy that validates strictly against the schema, or a 400 saying why. */
function checkStatement(c: Context<CoreEnv>, statement: string): void {
  const parts = policySetTextToParts(statement);
  if (parts.type === "failure") {
    throw invalid(
      "The statement is not valid Cedar",
      parts.errors.map((e) => ({ message: e.message })),
    );
  }
  if (parts.policy_templates.length > 0 || parts.policies.length !== 1) {
    throw invalid("The statement must be exactly one policy (no templates)", []);
  }
  const problems = c.get("policyValidator").validate([{ id: "statement", statement }]);
  if (problems.length) {
    throw invalid(
      "The policy does not validate against the authorization schema",
      problems.map((p) => ({ message: p.help ? `${p.message} (${p.help})` : p.message })),
    );
  }
}

function invalid(message: string, details: { message: string }[]): QuestlineError {
  return new QuestlineError("authorization.invalid_policy", message, {
    details: details.map((d) => ({ path: "statement", message: d.message })),
  });
}

/**
 * `/dashboard/authorization`: the workspace's own Cedar policies (admins and owners), the
 * schema they are written against, and the default policies they add to.
 */
export function authorizationRoutes() {
  const routes = documentedRouter();
  const ops: Omit<DocumentedOperation, "tag">[] = [
    {
      method: "get",
      path: "/schema",
      operationId: "dashboard/authorization/getSchema",
      summary:
        "The Cedar schema policies are validated against (entity types, action groups, one action per operation)",
      responses: { 200: { description: "Cedar schema (JSON form)", schema: z.record(z.string(), z.unknown()) } },
    },
    {
      method: "get",
      path: "/default-policies",
      operationId: "dashboard/authorization/listDefaultPolicies",
      summary: "The platform's default policies, evaluated with every workspace's own",
      responses: {
        200: { description: "Default policies", schema: z.object({ items: z.array(defaultPolicySchema) }) },
      },
    },
    {
      method: "get",
      path: "/policies",
      operationId: "dashboard/authorization/listPolicies",
      summary: "The workspace's own policies",
      responses: { 200: { description: "Policies, oldest first", schema: pageSchema(policySchema) } },
    },
    {
      method: "post",
      path: "/policies",
      operationId: "dashboard/authorization/createPolicy",
      summary: "Add a policy (validated against the schema before it is saved)",
      body: policyInputSchema,
      writes: true,
      responses: { 201: { description: "The saved policy", schema: policySchema } },
    },
    {
      method: "get",
      path: "/policies/:policyId",
      operationId: "dashboard/authorization/getPolicy",
      summary: "One policy",
      responses: { 200: { description: "The policy", schema: policySchema } },
    },
    {
      method: "put",
      path: "/policies/:policyId",
      operationId: "dashboard/authorization/updatePolicy",
      summary: "Replace a policy's statement and description (`If-Match` optional)",
      body: policyUpdateSchema,
      headers: ifMatchHeader,
      writes: true,
      responses: { 200: { description: "The saved policy", schema: policySchema } },
    },
    {
      method: "delete",
      path: "/policies/:policyId",
      operationId: "dashboard/authorization/deletePolicy",
      summary: "Remove a policy",
      writes: true,
      responses: { 204: { description: "Deleted", schema: null } },
    },
  ];
  for (const op of ops) documentOperation(routes, { tag: TAG, ...op });

  routes.get("/schema", (c) => c.json(c.get("policyValidator").schema));
  routes.get("/default-policies", (c) =>
    c.json({
      items: DEFAULT_POLICIES.map((p) => ({ policyId: p.id, description: p.description, statement: p.statement })),
    }),
  );
  routes.get("/policies", async (c) => {
    const items = await listPolicies(c.get("identity").workspaceId);
    return c.json({ items: items.map(view), nextToken: null });
  });
  // Adding policies is a feature rolled out per workspace (flag `workspace-policies`); the
  // policies already saved stay in force and editable whatever the flag says.
  routes.post("/policies", requireFlag("workspace-policies"), async (c) => {
    const identity = c.get("identity");
    const input = await readJson(c, policyInputSchema);
    checkStatement(c, input.statement);
    const existing = await listPolicies(identity.workspaceId);
    if (existing.length >= MAX_POLICIES_PER_WORKSPACE) {
      throw new QuestlineError(
        "authorization.policy_limit",
        `A workspace has at most ${MAX_POLICIES_PER_WORKSPACE} policies; combine or delete some`,
      );
    }
    const now = new Date().toISOString();
    const saved = await savePolicy({
      policyId: input.policyId ?? newId(),
      workspaceId: identity.workspaceId,
      description: input.description,
      statement: input.statement,
      version: 1,
      createdAt: now,
      updatedAt: now,
      ...(identity.userId ? { createdBy: identity.userId, updatedBy: identity.userId } : {}),
    });
    return c.json(view(saved), 201);
  });
  routes.get("/policies/:policyId", async (c) =>
    c.json(view(await requirePolicy(c.get("identity").workspaceId, c.req.param("policyId")))),
  );
  routes.put("/policies/:policyId", async (c) => {
    const identity = c.get("identity");
    const input = await readJson(c, policyUpdateSchema);
    checkStatement(c, input.statement);
    const current = await requirePolicy(identity.workspaceId, c.req.param("policyId"));
    const expected = expectedVersion(c.req.header("if-match")) ?? current.version;
    const saved = await savePolicy(
      {
        ...current,
        description: input.description,
        statement: input.statement,
        version: expected + 1,
        updatedAt: new Date().toISOString(),
        ...(identity.userId ? { updatedBy: identity.userId } : {}),
      },
      expected,
    );
    return c.json(view(saved));
  });
  routes.delete("/policies/:policyId", async (c) => {
    await deletePolicy(c.get("identity").workspaceId, c.req.param("policyId"));
    return c.body(null, 204);
  });
  return routes;
}
