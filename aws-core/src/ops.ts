/**
 * `@questline/aws-core/ops`: what operators, the local stack and the benches use from the core
 * besides the Lambda handlers — the tables, the DynamoDB client, tenancy seeding.
 */
export { dynamoClient } from "./db/client";
export { ensureTables, idempotencyTableDefinition, MAIN_TABLE_KEYS, mainTableDefinition } from "./db/table-definition";
export { type EnsureUserInput, ensureUser, ensureWorkspace } from "./tenancy";
