import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * `npm run deps` (part of `npm run check`) runs dependency-cruiser with the repository's rules
 * file. These tests run the same rules over a few small files laid out like the repository and
 * check that an import against the rules fails the command, naming the rule.
 */
const repo = resolve(import.meta.dirname, "..");
const depcruise = join(repo, "node_modules", ".bin", "depcruise");
const sandboxes: string[] = [];

function cruise(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "deps-"));
  sandboxes.push(dir);
  copyFileSync(join(repo, ".dependency-cruiser.cjs"), join(dir, ".dependency-cruiser.cjs"));
  copyFileSync(join(repo, "tsconfig.base.json"), join(dir, "tsconfig.base.json"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const roots = [...new Set(Object.keys(files).map((p) => p.split("/")[0] as string))];
  const run = spawnSync(depcruise, [...roots, "--config", ".dependency-cruiser.cjs", "--output-type", "err"], {
    cwd: dir,
    encoding: "utf8",
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

afterAll(() => {
  for (const dir of sandboxes) rmSync(dir, { recursive: true, force: true });
});

describe("dependency rules", () => {
  it("a foundation importing a feature fails, naming the rule", () => {
    const result = cruise({
      "aws-core/src/db/helper.ts": 'import { award } from "../badges/award";\nexport const x = award;\n',
      "aws-core/src/badges/award.ts": "export const award = 1;\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("foundations-know-no-feature");
    expect(result.output).toContain("aws-core/src/db/helper.ts → aws-core/src/badges/award.ts");
  });

  it("a feature importing a foundation passes", () => {
    const result = cruise({
      "aws-core/src/badges/award.ts": 'import { key } from "../db/keys";\nexport const award = key;\n',
      "aws-core/src/db/keys.ts": "export const key = 1;\n",
    });
    expect(result.output).toContain("no dependency violations");
    expect(result.status).toBe(0);
  });

  it("a cycle fails", () => {
    const result = cruise({
      "aws-core/src/badges/a.ts": 'import { b } from "./b";\nexport const a = b;\n',
      "aws-core/src/badges/b.ts": 'import { a } from "./a";\nexport const b = () => a;\n',
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("no-cycles");
  });

  it("a relative import into another package's files fails", () => {
    const result = cruise({
      "workers/api/src/app.ts": 'import { schema } from "../../../drizzle/schema";\nexport const s = schema;\n',
      "drizzle/schema.ts": "export const schema = 1;\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("no-reaching-into-other-packages");
  });

  it("production code importing a test helper fails", () => {
    const result = cruise({
      "aws-core/src/badges/award.ts":
        'import { caller } from "../../test/support/callers";\nexport const a = caller;\n',
      "aws-core/test/support/callers.ts": "export const caller = 1;\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("production-never-imports-local-or-tests");
  });

  it("shipped code importing the contract checker fails; its own files and tests may", () => {
    const shipped = cruise({
      "workers/api/src/app.ts":
        'import { check } from "../../../packages/contract-testing/src/index";\nexport const a = check;\n',
      "packages/contract-testing/src/index.ts": 'import { rule } from "./pending";\nexport const check = rule;\n',
      "packages/contract-testing/src/pending.ts": "export const rule = 1;\n",
    });
    expect(shipped.status).not.toBe(0);
    expect(shipped.output).toContain("production-never-imports-local-or-tests");
    expect(shipped.output).toContain("workers/api/src/app.ts");
    expect(shipped.output).not.toContain("packages/contract-testing/src/index.ts →");
  });
});

/**
 * Extension is explicit: a feature joins a list (the consumer list, the route table), it never
 * registers itself by being imported. A bare `import "./x"` of our own code is how such a
 * registration would look, so production code has none (CSS and polyfill packages aside).
 */
describe("no registration by import side effect", () => {
  it("production code has no bare imports of its own modules", () => {
    const run = spawnSync(
      "git",
      ["grep", "-nE", "^import ['\"]\\.{1,2}/", "--", "aws-core/src", "workers/*/src", "packages/*/src", "drizzle"],
      { cwd: repo, encoding: "utf8" },
    );
    const hits = run.stdout.split("\n").filter((line) => line && !/\.test\.ts:/.test(line));
    expect(hits).toEqual([]);
  });
});
