import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { beforeEach } from "vitest";

/**
 * The end-to-end stack's service output (wrangler dev, gateway, stream processor, scheduled
 * sweeps) goes to a file instead of the console. A failing test prints the lines logged while
 * it ran, and names the file.
 */
export interface StackLog {
  readonly file: string;
  write(line: string): void;
}

export function stackLog(file: string): StackLog {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, "");
  const lines: string[] = [];

  beforeEach(({ onTestFailed }) => {
    const from = lines.length;
    onTestFailed(() => {
      const during = lines.slice(from);
      console.log(
        [`stack output while this test ran (${during.length} lines; all of it in ${file}):`, ...during].join("\n"),
      );
    });
  });

  return {
    file,
    write(line) {
      lines.push(line);
      appendFileSync(file, `${line}\n`);
    },
  };
}
