/**
 * npm run reindex -- --workspace <id> | --all [--segments 4] [--checkpoint file] [--indexer-url …]
 *
 * Rebuilds the D1 catalog index from DynamoDB through the indexer (see
 * aws-core/src/sync-tools/reindex.ts). Interrupted runs resume from the checkpoint file.
 */
import { parseArgs } from "node:util";
import { applyCommonFlags, COMMON_FLAGS, IndexerApi, reindex } from "@questline/aws-core/sync-ops";
import cliProgress from "cli-progress";

const USAGE = `usage: npm run reindex -- (--workspace <id> | --all) [--segments N] [--checkpoint <file>]
  [--indexer-url URL] [--access-key-id ID] [--secret-access-key SECRET] [--table NAME] [--dynamodb-endpoint URL]
env fallbacks: INDEXER_URL (default http://127.0.0.1:8789), INDEXER_ACCESS_KEY_ID, INDEXER_SECRET_ACCESS_KEY,
  TABLE_NAME, DYNAMODB_ENDPOINT, AWS_REGION`;

const { values } = parseArgs({
  options: { ...COMMON_FLAGS, all: { type: "boolean" }, checkpoint: { type: "string" } },
});
if (values.help || (!values.workspace && !values.all) || (values.workspace && values.all)) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}
const endpoint = applyCommonFlags(values);
const scope = values.workspace ? { workspaceId: values.workspace } : ({ all: true } as const);
const checkpointFile =
  values.checkpoint ?? `.local/reindex-${values.workspace ? `ws-${values.workspace}` : "all"}.checkpoint.json`;

const bar = new cliProgress.SingleBar(
  {
    format:
      "reindex |{bar}| segments {value}/{total} · scanned {scanned} · applied {applied} · stale {stale} · skipped {skipped}",
    noTTYOutput: true,
    notTTYSchedule: 2000,
  },
  cliProgress.Presets.shades_classic,
);
const totalSegments = Number(values.segments ?? 4);
bar.start(totalSegments, 0, { scanned: 0, applied: 0, stale: 0, skipped: 0 });
try {
  const result = await reindex({
    scope,
    indexer: new IndexerApi(endpoint),
    totalSegments,
    checkpointFile,
    onProgress: (p) => bar.update(p.segmentsDone, p),
  });
  bar.stop();
  console.log(JSON.stringify({ done: true, ...result }));
} catch (err) {
  bar.stop();
  console.error(`reindex stopped: ${err instanceof Error ? err.message : String(err)}`);
  console.error(`re-run the same command to resume from ${checkpointFile}`);
  process.exit(1);
}
