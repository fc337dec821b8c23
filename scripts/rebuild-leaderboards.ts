/**
 * npx tsx scripts/rebuild-leaderboards.ts --workspace <id> [--instance <runtimeLeaderboardId>]
 *
 * Rebuilds leaderboard sorted sets in Redis (MemoryDB) from DynamoDB's score items, with a
 * progress bar per instance. Safe while traffic flows: live score writes are versioned and
 * keep applying during the rebuild. The API also rebuilds an instance by itself when a read
 * finds its keys missing (Redis flushed or lost) or marked stale (a write failed while Redis
 * was down). Env: TABLE_NAME, DYNAMODB_ENDPOINT (local), AWS_REGION, REDIS_URL, REDIS_PASSWORD.
 */
import { parseArgs } from "node:util";
import { LeaderboardStore, rebuildWorkspace, redis } from "@questline/aws-core/leaderboard-ops";
import cliProgress from "cli-progress";

const USAGE = "usage: npx tsx scripts/rebuild-leaderboards.ts --workspace <id> [--instance <runtimeLeaderboardId>]";
const { values } = parseArgs({
  options: { workspace: { type: "string" }, instance: { type: "string" }, help: { type: "boolean" } },
});
if (values.help || !values.workspace) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

const store = new LeaderboardStore(redis());
const bars = new cliProgress.MultiBar(
  { format: "{name} |{bar}| {value}/{total} members", noTTYOutput: true, notTTYSchedule: 2000, clearOnComplete: false },
  cliProgress.Presets.shades_classic,
);
let bar: cliProgress.SingleBar | undefined;
try {
  const results = await rebuildWorkspace(store, values.workspace, {
    instanceId: values.instance,
    onInstance: (instance) => {
      bar?.stop();
      bar = bars.create(0, 0, { name: `${instance.runtimeLeaderboardId} (${instance.periodId})` });
    },
    onProgress: ({ total, done }) => {
      bar?.setTotal(total);
      bar?.update(done);
    },
  });
  bars.stop();
  const skipped = results.filter((r) => !r.rebuilt).length;
  console.log(
    `rebuilt ${results.length - skipped} leaderboard(s), ${results.reduce((n, r) => n + r.members, 0)} members` +
      (skipped ? `; ${skipped} skipped (a rebuild was already running)` : ""),
  );
} finally {
  bars.stop();
  redis().disconnect();
}
