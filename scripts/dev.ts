/**
 * `npm run dev`: starts the whole platform locally (see aws-core/docs/local-stack.md).
 * Ports: QL_API_PORT, QL_MEDIA_PORT, QL_INDEXER_PORT, QL_GATEWAY_PORT, QL_IDP_PORT,
 * QL_DYNAMODB_PORT, QL_REDIS_PORT, QL_EVENTBUS_PORT; state: QL_STATE_DIR (default .local).
 */
import { checkPrerequisites, type Stack, type StackPorts, startStack } from "./lib/stack";

const DEFAULT_PORTS: StackPorts = {
  api: 8787,
  media: 8788,
  indexer: 8789,
  gateway: 4010,
  idp: 4020,
  dynamodb: 8000,
  redis: 6380,
  eventBus: 4030,
};

function portsFromEnv(): StackPorts {
  const env = (name: string, fallback: number) => {
    const raw = process.env[name];
    if (raw === undefined || raw === "") return fallback;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`${name} must be a port number, got "${raw}"`);
    return port;
  };
  return {
    api: env("QL_API_PORT", DEFAULT_PORTS.api),
    media: env("QL_MEDIA_PORT", DEFAULT_PORTS.media),
    indexer: env("QL_INDEXER_PORT", DEFAULT_PORTS.indexer),
    gateway: env("QL_GATEWAY_PORT", DEFAULT_PORTS.gateway),
    idp: env("QL_IDP_PORT", DEFAULT_PORTS.idp),
    dynamodb: env("QL_DYNAMODB_PORT", DEFAULT_PORTS.dynamodb),
    redis: env("QL_REDIS_PORT", DEFAULT_PORTS.redis),
    eventBus: env("QL_EVENTBUS_PORT", DEFAULT_PORTS.eventBus),
  };
}

async function main() {
  const problems = checkPrerequisites();
  if (problems.length) {
    console.error("Cannot start the local stack. Install what is missing:");
    for (const problem of problems) console.error(`  - ${problem}`);
    process.exit(1);
  }
  let stack: Stack | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!stack) {
      // Children are still being started; stop them as soon as startStack hands them over.
      console.log(`\n${signal}: stopping once the services that are starting are up…`);
      return;
    }
    console.log(`\n${signal}: stopping the local stack…`);
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  console.log("Starting the Questline local stack…");
  stack = await startStack({ ports: portsFromEnv(), quiet: process.env.QL_QUIET === "1" });
  if (stopping) {
    await stack.stop();
    process.exit(0);
  }
  const u = stack.urls;
  const lines = [
    `api: ${u.api}`,
    `media: ${u.media}`,
    `indexer: ${u.indexer}`,
    `gateway: ${u.gateway}`,
    `idp: ${u.idp}`,
    `jwks: ${u.jwks}`,
    `dynamodb: ${u.dynamodb}`,
    `redis: ${u.redis}`,
    `events: ${u.eventBus}`,
    `appconfig: ${u.appconfig}`,
  ];
  console.log(
    [
      "",
      "Questline local stack is ready",
      // One `<name>: <url>` line per service, unindented, so scripts can read them.
      ...lines,
      `(domain events are appended to ${stack.eventArchiveFile})`,
      `(feature flags: edit ${stack.stateDir}/flags.json; state in ${stack.stateDir}; a token: npm run token -- --context app|dashboard [--role admin] [--workspace <id>] [--user <id>]; Ctrl-C stops everything)`,
      "",
    ].join("\n"),
  );
}

main().catch((err: unknown) => {
  console.error(`Local stack failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
