import { actionCatalogOf, cedarSchema, DEFAULT_POLICIES } from "../authorization";
import { createApp } from "./create-app";

/**
 * The core's authorization model as files: the Cedar schema of every operation (JSON form)
 * and the default policies (Cedar text, each with its id and description as annotations).
 * `npm run openapi` writes them to docs/authorization/ (drift-checked); infra-pulumi loads
 * them into the Verified Permissions policy store.
 */
export function coreAuthorizationModel(): { schema: string; policies: string } {
  const catalog = actionCatalogOf(createApp());
  const schema = `${JSON.stringify(cedarSchema(catalog.actions), null, 2)}\n`;
  const policies = DEFAULT_POLICIES.map(
    (p) => `@id("${p.id}")\n@description("${p.description.replaceAll('"', '\\"')}")\n${p.statement}\n`,
  ).join("\n");
  return {
    schema,
    policies: `// Generated from aws-core/src/authorization/policies.ts by \`npm run openapi\`; do not edit.\n\n${policies}`,
  };
}
