import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { defaultFlagsDocument } from "@questline/aws-core/flags-catalog";
import { ensureTables } from "@questline/aws-core/ops";
import {
  type ApiHandler,
  type DynamoDbLocal,
  freePort,
  LOCAL_CLIENT_IDS,
  LOCAL_COGNITO,
  LOCAL_EDGE_CREDENTIALS,
  LOCAL_MEDIA_CREDENTIALS,
  LOCAL_PRINCIPAL_NAMES,
  type LocalEventBus,
  localPrincipalArn,
  type ManagedProcess,
  type StreamHandler,
  startDynamoDbLocal,
  startIdentityProvider,
  startLocalAppConfig,
  startLocalEventBus,
  startLocalGateway,
  startRedisServer,
  startStreamProcessor,
} from "@questline/local";
import { missingPrerequisites } from "../prerequisites.mjs";
import { seedDemoContent, seedDemoTenancy } from "./demo";
import { defaultStateDir, STACK_FILE } from "./paths";
import { parseTokenRequest, resolveTokenRequest, type TokenRequest } from "./token-request";
import { applyD1Migrations, ensureWorkerEntryPoints, startWorker, type WorkerSpec } from "./wrangler";

export interface StackPorts {
  api: number;
  media: number;
  indexer: number;
  gateway: number;
  idp: number;
  dynamodb: number;
  redis: number;
  /** The EventBridge stand-in (domain events). */
  eventBus: number;
}

export interface StackUrls {
  api: string;
  media: string;
  indexer: string;
  gateway: string;
  idp: string;
  jwks: string;
  dynamodb: string;
  redis: string;
  eventBus: string;
  /** The AppConfig data API stand-in serving `<stateDir>/flags.json`. */
  appconfig: string;
}

export interface StackOptions {
  /** Ports not given here are free ports picked by the OS (`npm run dev` passes the defaults). */
  ports?: Partial<StackPorts>;
  /** Everything the stack keeps between runs (default `$QL_STATE_DIR` or `<repo>/.local`). */
  stateDir?: string;
  /** No service output on the console (lines still go to `onLog` when given). */
  quiet?: boolean;
  onLog?: (line: string) => void;
  /** Seed the demo workspace, users and learning paths (default true). */
  seed?: boolean;
}

export interface MintTokenOptions {
  context: "app" | "dashboard";
  role?: TokenRequest["role"];
  workspaceId?: string;
  userId?: string;
  clientId?: string;
  /** Token lifetime; a negative value mints an already-expired token (for tests). */
  expiresInSeconds?: number;
}

export interface Stack {
  urls: StackUrls;
  ports: StackPorts;
  stateDir: string;
  /** The local EventBridge bus: every domain event the core published (`events()`), rules, replay. */
  eventBus: LocalEventBus;
  /** Where the bus archives each event as a JSON line. */
  eventArchiveFile: string;
  mintToken(options: MintTokenOptions): Promise<string>;
  stop(): Promise<void>;
}

export const LOCAL_EVENT_BUS = "questline-local";
/** The flags file under the state dir, and the AppConfig identifiers the local core names. */
export const FLAGS_FILE = "flags.json";
const LOCAL_APPCONFIG = { application: "questline-local", environment: "local", profile: "feature-flags" } as const;

export const LOCAL_TABLES = { table: "questline-local", idempotencyTable: "questline-local-idempotency" } as const;
const REGION = LOCAL_COGNITO.region;

/**
 * Local IAM key pairs and secrets: the api worker → gateway key, the media worker's own key (a
 * distinct principal: only it may write media records), the stream handler → indexer key, and
 * the media worker's URL-signing secret.
 */
export function localCredentials() {
  return {
    edge: {
      accessKeyId: process.env.QL_EDGE_ACCESS_KEY_ID ?? LOCAL_EDGE_CREDENTIALS.accessKeyId,
      secretAccessKey: process.env.QL_EDGE_SECRET_ACCESS_KEY ?? LOCAL_EDGE_CREDENTIALS.secretAccessKey,
    },
    media: {
      accessKeyId: process.env.QL_MEDIA_ACCESS_KEY_ID ?? LOCAL_MEDIA_CREDENTIALS.accessKeyId,
      secretAccessKey: process.env.QL_MEDIA_SECRET_ACCESS_KEY ?? LOCAL_MEDIA_CREDENTIALS.secretAccessKey,
    },
    mediaSigningSecret:
      process.env.QL_MEDIA_SIGNING_SECRET ?? "questline-local-media-signing-secret-do-not-use-in-production",
    indexer: {
      accessKeyId: process.env.QL_INDEXER_ACCESS_KEY_ID ?? "AKIDQUESTLINEINDEXER",
      secretAccessKey:
        process.env.QL_INDEXER_SECRET_ACCESS_KEY ?? "questline-local-indexer-secret-do-not-use-in-production",
    },
  };
}

/** What is missing on this machine, as install instructions (empty when all is there). */
export function checkPrerequisites(): string[] {
  const problems = missingPrerequisites()
    .filter((p) => !p.testsOnly)
    .map((p) => `${p.name} (${p.neededFor}): apt-get install -y ${p.apt}`);
  const nodeMajor = Number(process.versions.node.split(".")[0]);
  if (nodeMajor < 24) {
    problems.push(
      `Node 24+ is required (running ${process.versions.node}): run through npm (\`npm run dev\`), which uses the node@24 devDependency; run \`npm install\` if node_modules/.bin/node is missing`,
    );
  }
  return problems;
}

/**
 * The Lambda modules production deploys, imported on first use: the handlers read their
 * configuration from process.env, which the stack fills in first.
 */
const HANDLERS = {
  api: () => import("@questline/aws-core/handlers/api"),
  stream: () => import("@questline/aws-core/handlers/stream"),
  scheduled: () => import("@questline/aws-core/handlers/scheduled"),
};
/** Production runs the scheduled handler every 5 minutes (EventBridge Scheduler); locally every minute. */
const SCHEDULE_INTERVAL_MS = Number(process.env.QL_SCHEDULE_INTERVAL_MS ?? 60_000);

/**
 * Starts the whole platform locally: DynamoDB Local, redis-server, the Cognito-shaped IdP, the
 * API Gateway stand-in with the api Lambda handler, the stream processor with the stream
 * handler, and the three workers under `wrangler dev`; then seeds the demo workspace.
 * The Lambda handlers run in this process (their configuration goes to process.env), so run
 * one stack per process.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const problems = checkPrerequisites();
  if (problems.length) throw new Error(`missing prerequisites:\n  - ${problems.join("\n  - ")}`);
  const stateDir = resolve(options.stateDir ?? defaultStateDir());
  mkdirSync(stateDir, { recursive: true });
  claimStateDir(stateDir);

  const log = (line: string) => {
    options.onLog?.(line);
    if (!options.quiet) console.log(line);
  };
  const ports = await resolvePorts(options.ports ?? {});
  const credentials = localCredentials();
  const edgePrincipal = LOCAL_PRINCIPAL_NAMES[LOCAL_EDGE_CREDENTIALS.accessKeyId] ?? "questline-edge-local";
  const mediaPrincipal = LOCAL_PRINCIPAL_NAMES[LOCAL_MEDIA_CREDENTIALS.accessKeyId] ?? "questline-media-local";
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((err) => log(`stop: ${String(err)}`));
    releaseStateDir(stateDir);
  };

  try {
    // allSettled: when one fails, the other is still registered for stopping (no orphans).
    const [dynamoResult, redisResult] = await Promise.allSettled([
      startDynamoDbLocal({ port: ports.dynamodb, dbPath: join(stateDir, "dynamodb") }),
      startRedisServer({ port: ports.redis }),
    ]);
    for (const result of [dynamoResult, redisResult]) {
      if (result.status === "fulfilled") {
        const service = result.value;
        stops.push(() => service.stop());
      }
    }
    if (dynamoResult.status === "rejected") throw dynamoResult.reason;
    if (redisResult.status === "rejected") throw redisResult.reason;
    const dynamo: DynamoDbLocal = dynamoResult.value;
    const redis = redisResult.value;
    const eventArchiveFile = join(stateDir, "events", "archive.jsonl");
    const eventBus = await startLocalEventBus({
      port: ports.eventBus,
      busName: LOCAL_EVENT_BUS,
      region: REGION,
      archiveFile: eventArchiveFile,
      onLog: (line) => log(`[events] ${line}`),
    });
    stops.push(() => eventBus.stop());
    // Feature flags: AppConfig's data API over a file in the state dir, seeded with every flag's
    // default; edit it to roll a flag out or back (the core polls it every FLAGS_MAX_AGE_SECONDS).
    const flagsFile = join(stateDir, FLAGS_FILE);
    if (!existsSync(flagsFile)) writeFileSync(flagsFile, `${JSON.stringify(defaultFlagsDocument(), null, 2)}\n`);
    const appconfig = await startLocalAppConfig({ file: flagsFile, ...LOCAL_APPCONFIG });
    stops.push(() => appconfig.stop());
    const urls: StackUrls = {
      api: `http://127.0.0.1:${ports.api}`,
      media: `http://127.0.0.1:${ports.media}`,
      indexer: `http://127.0.0.1:${ports.indexer}`,
      gateway: `http://127.0.0.1:${ports.gateway}`,
      idp: `http://127.0.0.1:${ports.idp}`,
      jwks: `http://127.0.0.1:${ports.idp}/${LOCAL_COGNITO.userPoolId}/.well-known/jwks.json`,
      dynamodb: dynamo.endpoint,
      redis: redis.url,
      eventBus: eventBus.endpoint,
      appconfig: appconfig.endpoint,
    };

    // The Lambda handlers run in this process and read their configuration from the environment.
    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      TABLE_NAME: LOCAL_TABLES.table,
      IDEMPOTENCY_TABLE_NAME: LOCAL_TABLES.idempotencyTable,
      REDIS_URL: redis.url,
      INDEXER_URL: urls.indexer,
      MEDIA_PUBLIC_URL: urls.media,
      INDEXER_ACCESS_KEY_ID: credentials.indexer.accessKeyId,
      INDEXER_SECRET_ACCESS_KEY: credentials.indexer.secretAccessKey,
      // Only the media worker's principal may write media records (see aws-core/src/http/caller.ts).
      MEDIA_WRITER_ARNS: localPrincipalArn(mediaPrincipal),
      // The stream handler publishes domain events to the local EventBridge stand-in.
      EVENT_BUS_NAME: LOCAL_EVENT_BUS,
      EVENTBRIDGE_ENDPOINT: eventBus.endpoint,
      // The stream and scheduled handlers deliver webhooks (docs/webhooks.md).
      WEBHOOKS_ENABLED: "true",
      POWERTOOLS_SERVICE_NAME: "questline-local",
      APPCONFIG_APPLICATION: LOCAL_APPCONFIG.application,
      APPCONFIG_ENVIRONMENT: LOCAL_APPCONFIG.environment,
      APPCONFIG_FLAGS_PROFILE: LOCAL_APPCONFIG.profile,
      APPCONFIG_ENDPOINT: appconfig.endpoint,
      // A local edit of the flags file shows within seconds (deployments default to 30 s).
      FLAGS_MAX_AGE_SECONDS: process.env.FLAGS_MAX_AGE_SECONDS ?? "5",
    });
    const client = new DynamoDBClient({ region: REGION, endpoint: dynamo.endpoint });
    await ensureTables(client, LOCAL_TABLES);
    client.destroy();
    if (options.seed !== false) await seedDemoTenancy();

    const idp = await startIdentityProvider({
      port: ports.idp,
      stateDir,
      resolveTokenRequest: (body) => resolveTokenRequest(parseTokenRequest(body)),
    });
    stops.push(() => idp.stop());

    const gateway = await startLocalGateway({
      port: ports.gateway,
      region: REGION,
      credentials: {
        [credentials.edge.accessKeyId]: credentials.edge.secretAccessKey,
        [credentials.media.accessKeyId]: credentials.media.secretAccessKey,
      },
      principals: { [credentials.edge.accessKeyId]: edgePrincipal, [credentials.media.accessKeyId]: mediaPrincipal },
      handler: { load: async () => (await HANDLERS.api()).handler as ApiHandler },
      onLog: (line) => log(`[gateway] ${line}`),
    });
    stops.push(() => gateway.stop());

    const streamProcessor = startStreamProcessor({
      tableName: LOCAL_TABLES.table,
      endpoint: dynamo.endpoint,
      region: REGION,
      handler: { load: async () => (await HANDLERS.stream()).handler as StreamHandler },
      batchSize: 100,
      maxRetries: 3,
      bisectBatchOnFunctionError: true,
      reportBatchItemFailures: true,
      checkpointFile: join(stateDir, "stream", "checkpoints.json"),
      dlqFile: join(stateDir, "stream", "dead-letters.jsonl"),
      onLog: (line) => log(`[stream] ${line}`),
    });
    stops.push(() => streamProcessor.stop());

    // Stand-in for the EventBridge schedule: the same scheduled handler module, on a timer.
    let sweeping: Promise<void> | undefined;
    const schedule = setInterval(() => {
      sweeping ??= HANDLERS.scheduled()
        .then((mod) => mod.handler({}))
        .then((result) => log(`[scheduled] ${JSON.stringify(result)}`))
        .catch((err) => log(`[scheduled] failed: ${String(err)}`))
        .finally(() => {
          sweeping = undefined;
        });
    }, SCHEDULE_INTERVAL_MS);
    schedule.unref();
    stops.push(async () => {
      clearInterval(schedule);
      await sweeping;
    });

    const cognitoVars = {
      JWKS_URL: urls.jwks,
      COGNITO_REGION: REGION,
      COGNITO_USER_POOL_ID: LOCAL_COGNITO.userPoolId,
      COGNITO_CLIENT_IDS: LOCAL_CLIENT_IDS.join(","),
      CORE_URL: urls.gateway,
      CORE_REGION: REGION,
      AWS_ACCESS_KEY_ID: credentials.edge.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.edge.secretAccessKey,
    };
    const workers: WorkerSpec[] = [
      { name: "api", config: "wrangler.toml", port: ports.api, vars: cognitoVars },
      {
        name: "media",
        config: "workers/media/wrangler.toml",
        port: ports.media,
        vars: {
          ...cognitoVars,
          AWS_ACCESS_KEY_ID: credentials.media.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.media.secretAccessKey,
          MEDIA_SIGNING_SECRET: credentials.mediaSigningSecret,
        },
        // R2 and the Cache API only: its own state directory, so its workerd never contends
        // with the api/indexer pair for the SQLite files they share (D1).
        persistTo: join(stateDir, "wrangler-media"),
      },
      {
        name: "indexer",
        config: "workers/indexer/wrangler.toml",
        port: ports.indexer,
        vars: {
          INDEXER_ACCESS_KEY_ID: credentials.indexer.accessKeyId,
          INDEXER_SECRET_ACCESS_KEY: credentials.indexer.secretAccessKey,
        },
      },
    ];
    for (const entry of ensureWorkerEntryPoints(workers)) log(`wrangler: wrote placeholder ${entry}`);
    const wranglerSettings = {
      persistTo: join(stateDir, "wrangler"),
      registryPath: join(stateDir, "wrangler-registry"),
      logPath: join(stateDir, "logs"),
      onOutput: (worker: string, line: string) => log(`[${worker}] ${line}`),
    };
    await applyD1Migrations(wranglerSettings);
    // Workers that share a persist directory (api and indexer share the D1 database) start one
    // after the other: two workerd processes opening the same SQLite files at once can fail
    // with SQLITE_BUSY. Media has its own directory and starts beside the api.
    const startWave = async (wave: WorkerSpec[]) => {
      const started = await Promise.allSettled(wave.map((w) => startWorkerWithRetry(w, wranglerSettings, log)));
      for (const result of started) {
        if (result.status === "fulfilled") stops.push(() => (result.value as ManagedProcess).stop());
      }
      const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    };
    await startWave(workers.filter((w) => w.name !== "indexer"));
    await startWave(workers.filter((w) => w.name === "indexer"));

    if (options.seed !== false) {
      await seedDemoContent({
        gatewayUrl: urls.gateway,
        credentials: credentials.edge,
        region: REGION,
        tolerateMissingRoute: process.env.QL_SEED_TOLERANT === "1",
        log,
      });
    }

    writeFileSync(join(stateDir, STACK_FILE), JSON.stringify({ pid: process.pid, urls }, null, 2));
    return {
      urls,
      ports,
      stateDir,
      eventBus,
      eventArchiveFile,
      async mintToken({ expiresInSeconds, ...request }) {
        const input = await resolveTokenRequest(parseTokenRequest({ ...request }));
        return idp.provider.mint(expiresInSeconds === undefined ? input : { ...input, expiresInSeconds });
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** A workerd that fails to start (e.g. a transient SQLITE_BUSY under load) gets one more try. */
async function startWorkerWithRetry(
  spec: WorkerSpec,
  settings: Parameters<typeof startWorker>[1],
  log: (line: string) => void,
): Promise<ManagedProcess> {
  try {
    return await startWorker(spec, settings);
  } catch (err) {
    log(`wrangler: ${spec.name} failed to start, retrying once: ${String(err).split("\n")[0]}`);
    return startWorker(spec, settings);
  }
}

async function resolvePorts(given: Partial<StackPorts>): Promise<StackPorts> {
  const names: (keyof StackPorts)[] = ["api", "media", "indexer", "gateway", "idp", "dynamodb", "redis", "eventBus"];
  const ports = {} as StackPorts;
  const taken = new Set<number>();
  for (const name of names) {
    let port = given[name];
    while (port === undefined || (taken.has(port) && given[name] === undefined)) port = await freePort();
    taken.add(port);
    ports[name] = port;
  }
  return ports;
}

/** One stack per state dir: DynamoDB Local's files and the wrangler state cannot be shared. */
function claimStateDir(stateDir: string) {
  const file = join(stateDir, STACK_FILE);
  try {
    const { pid } = JSON.parse(readFileSync(file, "utf8")) as { pid: number };
    if (pid !== process.pid && isAlive(pid)) {
      throw new Error(`a local stack (pid ${pid}) is already running from ${stateDir}; stop it first`);
    }
  } catch (err) {
    if (err instanceof Error && err.message.includes("already running")) throw err;
  }
  writeFileSync(file, JSON.stringify({ pid: process.pid, starting: true }));
}

function releaseStateDir(stateDir: string) {
  const file = join(stateDir, STACK_FILE);
  try {
    const { pid } = JSON.parse(readFileSync(file, "utf8")) as { pid: number };
    if (pid === process.pid) rmSync(file, { force: true });
  } catch {
    // nothing to release
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
