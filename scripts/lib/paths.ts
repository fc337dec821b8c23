import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo root (scripts/lib/../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Default state directory: `$QL_STATE_DIR` or `<repo>/.local` (git-ignored). */
export function defaultStateDir(): string {
  return resolve(REPO_ROOT, process.env.QL_STATE_DIR ?? ".local");
}

/** Written by a running stack so `npm run token` can find the local IdP. */
export const STACK_FILE = "stack.json";
