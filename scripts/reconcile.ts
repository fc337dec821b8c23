/**
 * npm run reconcile -- --workspace <id> [--sample N] [--repair] [--json]
 *
 * Compares DynamoDB and the D1 catalog index for a workspace (ids, versions, tombstones) and
 * prints the differences. Exit code 0 when they agree, 1 when they differ (after --repair:
 * when differences remain), 2 on usage errors, 3 when it could not finish (the error is on
 * stderr).
 */
import { parseArgs } from "node:util";
import {
  applyCommonFlags,
  COMMON_FLAGS,
  IndexerApi,
  reconcileWorkspace,
  repairDifferences,
} from "@questline/aws-core/sync-ops";

const USAGE = `usage: npm run reconcile -- --workspace <id> [--sample N] [--repair] [--json]
  [--indexer-url URL] [--access-key-id ID] [--secret-access-key SECRET] [--table NAME] [--dynamodb-endpoint URL]`;

const { values } = parseArgs({
  options: {
    ...COMMON_FLAGS,
    sample: { type: "string" },
    repair: { type: "boolean" },
    json: { type: "boolean" },
  },
});
if (values.help || !values.workspace) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}
const indexer = new IndexerApi(applyCommonFlags(values));
const options = {
  workspaceId: values.workspace,
  indexer,
  totalSegments: Number(values.segments ?? 4),
  ...(values.sample ? { sample: Number(values.sample) } : {}),
};

// A failure (DynamoDB or the indexer unreachable, …) exits 3, never 1: 1 means "they differ".
process.on("unhandledRejection", (err) => {
  console.error(`reconcile failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(3);
});

let report = await reconcileWorkspace(options);
print(report);
if (values.repair && report.differences.length > 0) {
  const { repaired, unrepairable } = await repairDifferences(report, indexer);
  console.log(`repair: sent ${repaired} operations; ${unrepairable.length} differences cannot be repaired by version`);
  report = await reconcileWorkspace(options);
  print(report);
}
process.exit(report.differences.length === 0 ? 0 : 1);

function print(r: typeof report) {
  const { source: _source, ...summary } = r;
  if (values.json) {
    console.log(JSON.stringify(summary));
    return;
  }
  console.log(
    `${r.workspaceId} (${r.mode}): ${r.checked} items checked, ${r.unindexable} unindexable, ${r.differences.length} differences`,
  );
  for (const d of r.differences) {
    console.log(
      `  ${d.kind.padEnd(7)} ${d.itemType}/${d.itemId} dynamodb=${d.sourceVersion ?? "-"} index=${d.indexVersion ?? "-"}${d.indexDeleted ? " (tombstone)" : ""}`,
    );
  }
}
