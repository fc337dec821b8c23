/**
 * Activity-log ingestion benchmark, through the local gateway (SigV4 → API Gateway v2 event →
 * the core's Lambda handler → DynamoDB Local), beside a raw PutItem loop against the same
 * DynamoDB Local in the same run.
 *
 *   npx tsx bench/activity-ingest/run.ts            # starts its own in-memory DynamoDB Local
 *   BENCH_LOGS=4000 BENCH_CLIENTS=16 npx tsx bench/activity-ingest/run.ts
 *
 * Workspace: one published activity matched by 3 rules (an EVENT mission rule with its
 * mission configuration, and two ALWAYS reward rules crediting a currency). Each of the 16
 * clients acts for its own user. Prints logs/s and p50/p99 for both, the ratio, and the DynamoDB
 * round trips per log (every SDK call the handler made, divided by the logs).
 */
import { performance } from "node:perf_hooks";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { ensureTables } from "@questline/aws-core/ops";
import { identityToHeaders, newWorkspaceId } from "@questline/contracts";
import { LOCAL_EDGE_CREDENTIALS, startDynamoDbLocal, startLocalGateway } from "@questline/local";
import { AwsClient } from "aws4fetch";

const LOGS = Number(process.env.BENCH_LOGS ?? 2_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const REGION = "eu-west-1";

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function measure(total: number, task: (i: number, client: number) => Promise<void>) {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await task(i, client);
        samples.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return { perSecond: total / seconds, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function main() {
  const dynamo = process.env.DYNAMODB_ENDPOINT ? undefined : await startDynamoDbLocal();
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? dynamo!.endpoint;
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    DYNAMODB_ENDPOINT: endpoint,
    TABLE_NAME: process.env.TABLE_NAME ?? "questline-bench",
    IDEMPOTENCY_TABLE_NAME: process.env.IDEMPOTENCY_TABLE_NAME ?? "questline-bench-idempotency",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  });
  const raw = new DynamoDBClient({ region: REGION, endpoint });
  await ensureTables(raw, { table: process.env.TABLE_NAME!, idempotencyTable: process.env.IDEMPOTENCY_TABLE_NAME! });

  // The handler and the SDK client it uses live in this process: count its DynamoDB calls.
  const { dynamoClient } = await import("@questline/aws-core/ops");
  let calls = 0;
  const byCommand = new Map<string, number>();
  dynamoClient().middlewareStack.add(
    (next, context) => async (args) => {
      calls++;
      byCommand.set(context.commandName ?? "?", (byCommand.get(context.commandName ?? "?") ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "benchCallCounter" },
  );
  const gateway = await startLocalGateway({
    handler: { load: async () => (await import("@questline/aws-core/handlers/api")).handler as never },
  });
  const signer = new AwsClient({ ...LOCAL_EDGE_CREDENTIALS, service: "execute-api", region: REGION, retries: 0 });
  const workspaceId = newWorkspaceId();
  const send = async (path: string, body: unknown, identity: Record<string, string>) => {
    const res = await signer.fetch(`${gateway.url}${path}`, {
      method: "POST",
      headers: { ...identity, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, string>) : {};
  };
  const admin = identityToHeaders({ workspaceId, context: "dashboard", role: "admin", scopes: [] });
  const en = { defaultLang: "en", translations: [{ lang: "en", label: "x" }] };
  const publish = async (path: string, body: unknown, idField: string) => {
    const id = (await send(`/dashboard/${path}`, body, admin))[idField]!;
    await send(`/dashboard/${path}/${id}/publish`, undefined, admin);
    return id;
  };
  const activityId = await publish("activities", { name: "run", ...en }, "activityId");
  const coins = await publish("virtual-currencies", { name: "coins", ...en }, "virtualCurrencyId");
  const configId = await publish(
    "mission-configurations",
    {
      name: "m",
      missionType: "INDIVIDUAL",
      matchType: "INSTANCE",
      matchEntity: "Activity",
      matchEntityId: activityId,
      matchCondition: null,
      incrementExpression: { var: "event.value" },
      targetAmountExpression: 1_000_000,
      ...en,
    },
    "missionConfigurationId",
  );
  await publish(
    "mission-rules",
    {
      name: "r",
      missionType: "INDIVIDUAL",
      missionConfigurationsPool: [configId],
      timeframeType: "PERMANENT",
      timeframeTimezoneType: "FIXED",
      timeframeTimezone: "UTC",
      timeframeStartsAt: "2020-01-01T00:00:00Z",
      assignmentMode: "EVENT",
      eventMatchType: "INSTANCE",
      eventMatchEntity: "Activity",
      eventMatchEntityId: activityId,
      ...en,
    },
    "missionRuleId",
  );
  for (const amount of [10, 1]) {
    await publish(
      "reward-rules",
      {
        name: `r${amount}`,
        ruleType: "INSTANCE",
        matchEntity: "Activity",
        matchEntityId: activityId,
        matchCondition: null,
        applicationMode: "ALWAYS",
        rewards: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", expression: amount }],
        ...en,
      },
      "rewardRuleId",
    );
  }
  const users = await Promise.all(
    Array.from({ length: CLIENTS }, async () => (await send("/dashboard/users", {}, admin)).userId!),
  );
  const appHeaders = users.map((userId) => identityToHeaders({ workspaceId, context: "app", userId, scopes: [] }));

  // Warm-up (JIT, config cache, first mission per user), not measured.
  await measure(CLIENTS * 4, (_i, c) =>
    send("/app/activity-logs", { activityId }, appHeaders[c]!).then(() => undefined),
  );

  calls = 0;
  byCommand.clear();
  const ingest = await measure(LOGS, (_i, c) =>
    send("/app/activity-logs", { activityId }, appHeaders[c]!).then(() => undefined),
  );
  const roundTrips = calls / LOGS;

  const table = process.env.TABLE_NAME!;
  const putItem = await measure(LOGS, (i, c) =>
    raw
      .send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: { S: `WS#${workspaceId}#RAW#${c}` }, sk: { S: `ITEM#${i}` }, value: { N: "1" } },
        }),
      )
      .then(() => undefined),
  );

  console.log(`activity-log ingestion, ${fmt(LOGS)} logs, ${CLIENTS} concurrent clients, 3 matching rules`);
  console.log(
    `  through the gateway : ${fmt(ingest.perSecond)} logs/s   p50 ${fmt(ingest.p50, 1)} ms   p99 ${fmt(ingest.p99, 1)} ms`,
  );
  console.log(
    `  raw PutItem loop    : ${fmt(putItem.perSecond)} puts/s   p50 ${fmt(putItem.p50, 1)} ms   p99 ${fmt(putItem.p99, 1)} ms`,
  );
  console.log(
    `  ratio (raw / ingest): ${fmt(putItem.perSecond / ingest.perSecond, 1)}x throughput, ${fmt(ingest.p50 / putItem.p50, 1)}x p50 latency`,
  );
  console.log(`  DynamoDB round trips per log: ${fmt(roundTrips, 2)} (aim ≤ 3)`);
  for (const [command, n] of [...byCommand].sort((a, b) => b[1] - a[1])) {
    console.log(`    ${command.padEnd(28)} ${fmt(n / LOGS, 2)} per log`);
  }

  await gateway.stop();
  raw.destroy();
  await dynamo?.stop();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
