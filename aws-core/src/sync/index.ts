export { indexerSigningKeys, resetIndexerSigningKeys, type SigningKeys } from "./credentials";
export {
  createIndexerClient,
  type IndexerClientOptions,
  type SendBatchResult,
  type SendIndexBatch,
} from "./indexer-client";
export { changedAtMillis, toIndexOperation } from "./map-records";
export { type SyncDeps, syncStreamBatch } from "./sync-stream-batch";
