/**
 * The OS packages the local stack and the tests need, as one list. Plain JavaScript: it runs on
 * the system Node, before `npm ci` has brought tsx and Node 24. Used by the setup step of
 * `npm run dev` / `npm test` (scripts/setup.mjs), by the stack (scripts/lib/stack.ts) and by
 * `.ci/run`, which installs what `node scripts/prerequisites.mjs --missing-apt` prints.
 * To add a prerequisite, add an entry.
 */
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";

/**
 * @typedef {object} Prerequisite
 * @property {string} name what it is, as a person would say it
 * @property {string} neededFor what in Questline needs it
 * @property {string} apt the Debian package that provides it
 * @property {() => boolean} found whether this machine has it
 * @property {boolean} [testsOnly] only the tests need it (the local stack starts without it)
 */

/** @param {string} command */
const onPath = (command) => spawnSync("sh", ["-c", `command -v "${command}"`], { stdio: "ignore" }).status === 0;

function javaMajorVersion() {
  const out = spawnSync("java", ["-version"], { encoding: "utf8" });
  const match = /version "(\d+)/.exec(`${out.stderr ?? ""}${out.stdout ?? ""}`);
  return match ? Number(match[1]) : 0;
}

/** @type {Prerequisite[]} */
export const PREREQUISITES = [
  {
    name: "Java 17+",
    neededFor: "DynamoDB Local",
    apt: "openjdk-17-jre-headless",
    found: () => onPath("java") && javaMajorVersion() >= 17,
  },
  {
    name: "redis-server",
    neededFor: "the MemoryDB stand-in",
    apt: "redis-server",
    found: () => onPath("redis-server"),
  },
  {
    name: "Chromium",
    neededFor: "the browser test of the API reference page (e2e/docs-page.browser.test.ts)",
    apt: "chromium",
    found: () => onPath("chromium"),
    testsOnly: true,
  },
];

/** The prerequisites this machine lacks (empty when all are there). */
export function missingPrerequisites() {
  return PREREQUISITES.filter((prerequisite) => !prerequisite.found());
}

/**
 * What to tell a person who lacks `missing`: one line per prerequisite, then the apt command.
 * @param {Prerequisite[]} missing
 */
export function installInstructions(missing) {
  const sudo = process.getuid?.() === 0 ? "" : "sudo ";
  return [
    "Missing OS prerequisites:",
    ...missing.map((p) => `  - ${p.name} (${p.neededFor})`),
    "Install them with:",
    `  ${sudo}apt-get install -y ${missing.map((p) => p.apt).join(" ")}`,
  ].join("\n");
}

// `node scripts/prerequisites.mjs --missing-apt`: the apt packages to install, one a line.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes("--missing-apt")) {
    for (const prerequisite of missingPrerequisites()) console.log(prerequisite.apt);
  } else {
    const missing = missingPrerequisites();
    console.log(missing.length ? installInstructions(missing) : "All OS prerequisites are installed.");
    process.exitCode = missing.length ? 1 : 0;
  }
}
