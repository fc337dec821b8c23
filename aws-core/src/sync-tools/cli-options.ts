import { type IndexerEndpoint, indexerEndpointFromEnv } from "./indexer-api";

/** Flags shared by the reindex and reconcile commands; each falls back to its environment variable. */
export const COMMON_FLAGS = {
  workspace: { type: "string" },
  "indexer-url": { type: "string" },
  "access-key-id": { type: "string" },
  "secret-access-key": { type: "string" },
  table: { type: "string" },
  "dynamodb-endpoint": { type: "string" },
  segments: { type: "string" },
  help: { type: "boolean" },
} as const;

export interface CommonValues {
  "indexer-url"?: string | undefined;
  "access-key-id"?: string | undefined;
  "secret-access-key"?: string | undefined;
  table?: string | undefined;
  "dynamodb-endpoint"?: string | undefined;
}

/**
 * Points the DynamoDB client (src/db/client.ts reads the environment) and the indexer client at
 * the targets given by flags or environment: `TABLE_NAME`, `DYNAMODB_ENDPOINT`, `INDEXER_URL`,
 * `INDEXER_ACCESS_KEY_ID`, `INDEXER_SECRET_ACCESS_KEY`.
 */
export function applyCommonFlags(values: CommonValues): IndexerEndpoint {
  if (values.table) process.env.TABLE_NAME = values.table;
  if (values["dynamodb-endpoint"]) process.env.DYNAMODB_ENDPOINT = values["dynamodb-endpoint"];
  if (process.env.DYNAMODB_ENDPOINT) {
    // DynamoDB Local accepts any credentials; don't require a profile for it.
    process.env.AWS_ACCESS_KEY_ID ??= "local";
    process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  }
  if (values["indexer-url"]) process.env.INDEXER_URL = values["indexer-url"];
  if (values["access-key-id"]) process.env.INDEXER_ACCESS_KEY_ID = values["access-key-id"];
  if (values["secret-access-key"]) process.env.INDEXER_SECRET_ACCESS_KEY = values["secret-access-key"];
  return indexerEndpointFromEnv();
}
