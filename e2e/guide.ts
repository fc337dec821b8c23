import { readFileSync } from "node:fs";
import ts from "typescript";

/** A guide's fenced blocks, in order: `ts` blocks run, `text` blocks are what the run before them prints. */
export interface GuideBlock {
  lang: string;
  code: string;
}

export function guideBlocks(file: string): GuideBlock[] {
  const markdown = readFileSync(file, "utf8");
  return [...markdown.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1] as string,
    code: m[2] as string,
  }));
}

/**
 * Runs a guide's `ts` blocks as one program, as a reader pasting them into one file would:
 * transpiled with TypeScript, the guide's imports bound to `modules`, `process.env` set to `env`,
 * and what it logs captured. Returns the printed lines.
 */
export async function runGuide(
  blocks: GuideBlock[],
  modules: Record<string, Record<string, unknown>>,
  env: Record<string, string>,
): Promise<string[]> {
  const source = blocks
    .filter((b) => b.lang === "ts")
    .map((b) => b.code)
    .join("\n");
  const bound = source.replace(/^import \{([^}]+)\} from "([^"]+)";$/gm, (_all, names: string, from: string) => {
    if (!(from in modules)) throw new Error(`the guide imports ${from}, which the test does not provide`);
    return `const {${names}} = __modules[${JSON.stringify(from)}];`;
  });
  const js = ts.transpileModule(bound, {
    compilerOptions: { target: ts.ScriptTarget.ES2023, module: ts.ModuleKind.ESNext },
  }).outputText;
  const printed: string[] = [];
  const console = { log: (...args: unknown[]) => printed.push(args.map(String).join(" ")) };
  const process = { env };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction("__modules", "console", "process", js)(modules, console, process);
  return printed;
}

/** The lines the guide says its runs print: every `text` block, in order. */
export function expectedOutput(blocks: GuideBlock[]): string[] {
  return blocks
    .filter((b) => b.lang === "text")
    .flatMap((b) => b.code.split("\n"))
    .filter((line) => line.trim() !== "");
}
