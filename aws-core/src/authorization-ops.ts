/**
 * `@questline/aws-core/authorization`: the core's Cedar authorization for tools and benches —
 * the app's action catalog, the schema built from it and the engine that evaluates requests.
 */

export { createApp } from "./app/create-app";
export { actionCatalogOf, CedarEngine, cedarSchema, DEFAULT_POLICIES, groupOf, rolesIncluded } from "./authorization";
