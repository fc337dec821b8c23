import { freePort, waitForPort } from "./ports";
import { commandExists, startProcess } from "./process";

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export function checkRedis(): string | null {
  return commandExists("redis-server")
    ? null
    : "redis-server is required (MemoryDB stand-in): apt-get install -y redis-server";
}

/** Starts a throwaway `redis-server` on 127.0.0.1 (no persistence: Redis is derived state). */
export async function startRedisServer(
  options: { port?: number; onOutput?: (line: string) => void } = {},
): Promise<RedisServer> {
  const problem = checkRedis();
  if (problem) throw new Error(problem);
  const port = options.port ?? (await freePort());
  const proc = startProcess(
    "redis",
    "redis-server",
    ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
    { onOutput: options.onOutput },
  );
  try {
    await waitForPort(port, 10_000);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop: () => proc.stop() };
}
