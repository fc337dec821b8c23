import {
  type AuthorizationAnswer,
  type EntityJson,
  policyToJson,
  preparsePolicySet,
  preparseSchema,
  type SchemaJson,
  statefulIsAuthorized,
  validate,
} from "@cedar-policy/cedar-wasm/nodejs";
import { type Identity, ROLES, type Role } from "@questline/contracts";
import { logger } from "../logging";
import type { ActionDefinition } from "./actions";
import { DEFAULT_POLICIES, type NamedPolicy } from "./policies";
import { NAMESPACE } from "./schema";

const ns = (type: string) => `${NAMESPACE}::${type}`;

/** The roles a role includes: an owner is also an admin, an editor and a viewer. */
export function rolesIncluded(role: Role | undefined): Role[] {
  if (!role) return [];
  return ROLES.slice(ROLES.indexOf(role));
}

export interface AuthorizationRequest {
  identity: Identity;
  action: ActionDefinition;
  /** The resource's attributes: what it is and whose it is. */
  resource: { id: string; kind: string; owner?: string; state?: string };
}

export interface Decision {
  allowed: boolean;
  /** The policies that decided it (the permits, or the forbids that won). */
  policies: string[];
  errors: string[];
}

export interface PolicyProblem {
  message: string;
  help?: string;
}

/**
 * Cedar evaluation with `@cedar-policy/cedar-wasm` — the engine Verified Permissions runs —
 * in-process: the schema and each workspace's policy set are parsed once and cached inside
 * the WebAssembly module (`preparse…` / `statefulIsAuthorized`), so a request costs one
 * evaluation, not a network round trip (see bench/authorization).
 */
export class CedarEngine {
  private readonly schemaName: string;
  private readonly preparsed = new Map<string, string>();
  private readonly defaultDecisions = new Map<string, Decision>();
  private static counter = 0;

  constructor(readonly schema: SchemaJson<string>) {
    this.schemaName = `questline-${++CedarEngine.counter}`;
    const parsed = preparseSchema(this.schemaName, schema);
    if (parsed.type !== "success") {
      throw new Error(`the Cedar schema does not parse: ${parsed.errors.map((e) => e.message).join("; ")}`);
    }
    const problems = this.validate(DEFAULT_POLICIES);
    if (problems.length)
      throw new Error(`the default policies fail validation: ${problems.map((p) => p.message).join("; ")}`);
  }

  /** Strict validation against the schema; an empty list means every policy is valid. */
  validate(policies: readonly NamedPolicy[]): PolicyProblem[] {
    const answer = validate({
      schema: this.schema,
      policies: { staticPolicies: Object.fromEntries(policies.map((p) => [p.id, p.statement])) },
      validationSettings: { mode: "strict" },
    });
    if (answer.type === "failure") return answer.errors.map(problem);
    return answer.validationErrors.map((e) => ({ ...problem(e.error), message: `${e.policyId}: ${e.error.message}` }));
  }

  /**
   * Decides one request against the default policies plus `extra` (a workspace's own),
   * identified by `setId` + `revision` so a set is parsed once per revision.
   */
  authorize(
    request: AuthorizationRequest,
    extra: { setId: string; revision: string; policies: readonly NamedPolicy[] },
  ): Decision {
    if (extra.policies.length > 0 || request.resource.state !== undefined) return this.evaluate(request, extra);
    // The default set reads only the role, the context, the action and whether the resource's
    // owner is the caller's user, so its decisions are memoized on exactly those.
    const { identity, action, resource } = request;
    const owner = resource.owner === undefined ? "-" : resource.owner === identity.userId ? "self" : "other";
    const key = `${identity.context}|${identity.role ?? ""}|${identity.userId ? "u" : ""}|${owner}|${action.id}`;
    const memo = this.defaultDecisions.get(key);
    if (memo) return memo;
    const decision = this.evaluate(request, extra);
    if (decision.errors.length === 0) {
      if (this.defaultDecisions.size >= 50_000) this.defaultDecisions.clear();
      this.defaultDecisions.set(key, decision);
    }
    return decision;
  }

  private evaluate(
    request: AuthorizationRequest,
    extra: { setId: string; revision: string; policies: readonly NamedPolicy[] },
  ): Decision {
    const setId = this.ensureSet(extra.setId, extra.revision, extra.policies);
    const { identity, action, resource } = request;
    const principalId = identity.userId ?? identity.clientId ?? "anonymous";
    const entities: EntityJson[] = [
      {
        uid: { type: ns("Principal"), id: principalId },
        attrs: {
          workspace: identity.workspaceId,
          context: identity.context,
          ...(identity.userId ? { user: identity.userId } : {}),
        },
        parents: (identity.context === "dashboard" ? rolesIncluded(identity.role) : []).map((role) => ({
          type: ns("Role"),
          id: role,
        })),
      },
      {
        uid: { type: ns("Resource"), id: resource.id },
        attrs: {
          workspace: identity.workspaceId,
          kind: resource.kind,
          ...(resource.owner ? { owner: resource.owner } : {}),
          ...(resource.state ? { state: resource.state } : {}),
        },
        parents: [],
      },
    ];
    const answer: AuthorizationAnswer = statefulIsAuthorized({
      principal: { type: ns("Principal"), id: principalId },
      action: { type: ns("Action"), id: action.id },
      resource: { type: ns("Resource"), id: resource.id },
      context: { method: action.method },
      entities,
      preparsedPolicySetId: setId,
      preparsedSchemaName: this.schemaName,
      validateRequest: true,
    });
    if (answer.type === "failure") {
      logger.error("authorization request failed to evaluate", { errors: answer.errors.map((e) => e.message) });
      return { allowed: false, policies: [], errors: answer.errors.map((e) => e.message) };
    }
    const { decision, diagnostics } = answer.response;
    if (diagnostics.errors.length) {
      logger.warn("authorization policies errored", { errors: diagnostics.errors.map((e) => e.error.message) });
    }
    return {
      allowed: decision === "allow",
      policies: diagnostics.reason,
      errors: diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`),
    };
  }

  private ensureSet(setId: string, revision: string, extra: readonly NamedPolicy[]): string {
    const id = `${this.schemaName}/${setId}`;
    if (this.preparsed.get(id) === revision) return id;
    const parsed = preparsePolicySet(id, {
      staticPolicies: Object.fromEntries([...DEFAULT_POLICIES, ...extra].map((p) => [p.id, p.statement])),
    });
    if (parsed.type !== "success") {
      // Only validated policies are ever saved; a set that fails here falls back to the defaults.
      logger.error("a workspace policy set failed to parse; using the defaults", { setId, errors: parsed.errors });
      return this.ensureSet("default", "default", []);
    }
    this.preparsed.set(id, revision);
    return id;
  }
}

/**
 * Whether any of the policies reads `resource.state` (then the middleware loads the record's
 * lifecycle before deciding; other workspaces pay no read). Decided on the policies' JSON form.
 */
export function readsResourceState(policies: readonly NamedPolicy[]): boolean {
  return policies.some((p) => {
    const json = policyToJson(p.statement);
    return json.type === "success" && mentionsResourceState(json.json);
  });
}

function mentionsResourceState(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(mentionsResourceState);
  if (!node || typeof node !== "object") return false;
  const record = node as Record<string, unknown>;
  for (const op of [".", "has"]) {
    const access = record[op] as { left?: { Var?: string }; attr?: unknown } | undefined;
    if (access?.left?.Var === "resource" && access.attr === "state") return true;
  }
  return Object.values(record).some(mentionsResourceState);
}

function problem(error: { message: string; help: string | null }): PolicyProblem {
  return { message: error.message, ...(error.help ? { help: error.help } : {}) };
}
