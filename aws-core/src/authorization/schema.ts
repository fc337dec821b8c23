import type { SchemaJson } from "@cedar-policy/cedar-wasm/nodejs";
import { ACTION_GROUPS, type ActionDefinition } from "./actions";

export const NAMESPACE = "Questline";

/**
 * The Cedar schema of the core's authorization model: principals (with their roles),
 * resources, the action groups, and one action per operation. Built from the action catalog,
 * written to docs/authorization/schema.json by `npm run openapi` (drift-checked), and
 * uploaded to the Verified Permissions policy store by infra-pulumi.
 */
export function cedarSchema(actions: readonly ActionDefinition[]): SchemaJson<string> {
  const appliesTo = {
    principalTypes: ["Principal"],
    resourceTypes: ["Resource"],
    context: {
      type: "Record" as const,
      attributes: {
        method: { type: "String" as const },
      },
    },
  };
  const groups = Object.fromEntries(
    Object.entries(ACTION_GROUPS).map(([id, parents]) => [id, { memberOf: parents.map((p) => ({ id: p })) }]),
  );
  const operations = Object.fromEntries(actions.map((a) => [a.id, { memberOf: [{ id: a.group }], appliesTo }]));
  return {
    [NAMESPACE]: {
      entityTypes: {
        Role: { enum: ["owner", "admin", "editor", "viewer"] },
        Principal: {
          memberOfTypes: ["Role"],
          shape: {
            type: "Record",
            attributes: {
              workspace: { type: "String" },
              context: { type: "String" },
              /** The user the token acts as (app tokens; dashboard members). */
              user: { type: "String", required: false },
            },
          },
        },
        Resource: {
          shape: {
            type: "Record",
            attributes: {
              workspace: { type: "String" },
              /** The path's resource collection, e.g. `virtual-transactions`, `missions`. */
              kind: { type: "String" },
              /** The user the resource belongs to (app routes; `/dashboard/users/{userId}…`). */
              owner: { type: "String", required: false },
              /**
               * A configuration's or content's lifecycle (`DRAFT`, `PUBLISHED`, `ARCHIVED`; the API's
               * `stage`), on routes that name one record — read only for workspaces whose
               * policies use it.
               */
              state: { type: "String", required: false },
            },
          },
        },
      },
      actions: { ...groups, ...operations },
    },
  };
}
