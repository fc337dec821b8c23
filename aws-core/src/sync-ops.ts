/** `@questline/aws-core/sync-ops`: the reindex and reconcile tools (`npm run reindex|reconcile`). */
export { applyCommonFlags, COMMON_FLAGS } from "./sync-tools/cli-options";
export { IndexerApi, type IndexerEndpoint } from "./sync-tools/indexer-api";
export { type Difference, type ReconcileReport, reconcileWorkspace, repairDifferences } from "./sync-tools/reconcile";
export { type ReindexProgress, reindex } from "./sync-tools/reindex";
