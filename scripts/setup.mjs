/**
 * The first step of `npm run dev` and `npm test`, so a fresh clone needs no other command:
 *  1. installs the npm dependencies (`npm ci`) when node_modules is missing or older than
 *     package-lock.json, and does nothing when they already match;
 *  2. checks the OS prerequisites (scripts/prerequisites.mjs) and says exactly what to install.
 * Plain JavaScript on whatever Node runs npm: on a fresh clone that is the system Node (20),
 * since tsx and Node 24 arrive with the npm dependencies.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, utimesSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { installInstructions, missingPrerequisites } from "./prerequisites.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const lockfile = join(root, "package-lock.json");
// npm writes this copy of the lockfile into node_modules at the end of every install.
const installed = join(root, "node_modules", ".package-lock.json");

/** Why node_modules needs an install, or undefined when it matches package-lock.json. */
function reasonToInstall() {
  if (!existsSync(installed)) return "node_modules is missing";
  if (statSync(installed).mtimeMs >= statSync(lockfile).mtimeMs) return undefined;
  // Older than the lockfile, but a checkout or `npm install` may have only touched it: compare.
  if (!sameTree(readJson(lockfile).packages ?? {}, readJson(installed).packages ?? {})) {
    return "node_modules is older than package-lock.json";
  }
  const now = new Date();
  utimesSync(installed, now, now);
  return undefined;
}

/**
 * Every package the lockfile names is installed as named (optional ones may be absent), and no other.
 * @param {Record<string, { optional?: boolean }>} locked
 * @param {Record<string, unknown>} present
 */
function sameTree(locked, present) {
  for (const [path, entry] of Object.entries(locked)) {
    if (path === "") continue;
    if (!(path in present)) {
      if (entry.optional) continue;
      return false;
    }
    if (JSON.stringify(entry) !== JSON.stringify(present[path])) return false;
  }
  return Object.keys(present).every((path) => path in locked);
}

/**
 * @param {string} file
 * @returns {{ packages?: Record<string, { optional?: boolean }> }}
 */
function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

const reason = reasonToInstall();
if (reason) {
  console.log(`${reason}: npm ci`);
  const install = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  if (install.status !== 0) {
    console.error(
      `npm ci failed (exit ${install.status ?? install.signal}); fix the error above and run the command again`,
    );
    process.exit(1);
  }
}

const missing = missingPrerequisites();
if (missing.length) {
  console.error(installInstructions(missing));
  process.exit(1);
}
