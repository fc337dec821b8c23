import { type ChildProcess, spawn, spawnSync } from "node:child_process";

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a child in its own process group so stop() ends it and everything it spawned. */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; onOutput?: (line: string) => void } = {},
): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) options.onOutput?.(line);
  };
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
  let exited = child.exitCode !== null;
  child.once("exit", () => {
    exited = true;
  });
  return {
    name,
    child,
    async stop() {
      if (exited || child.pid === undefined) return;
      const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }, 5_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** True when `command` is on PATH (or is an executable path). */
export function commandExists(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v "${command}"`], { stdio: "ignore" }).status === 0;
}
