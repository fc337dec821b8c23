/**
 * The OpenAPI 3.1 document is generated from the api worker's routes (@hono/zod-openapi);
 * `docs/openapi.json` is a committed copy. `write` regenerates it; `check` fails on drift.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createApp } from "@questline/worker-api/app";

const OUT = "docs/openapi.json";
const mode = process.argv[2] ?? "check";

const res = await createApp().request("/openapi.json");
if (res.status !== 200) {
  console.error(`/openapi.json answered ${res.status}`);
  process.exit(1);
}
const document = `${JSON.stringify(await res.json(), null, 2)}\n`;
if (mode === "write") {
  writeFileSync(OUT, document);
  console.log(`✓ wrote ${OUT}`);
} else {
  let committed = "";
  try {
    committed = readFileSync(OUT, "utf8");
  } catch {
    // missing counts as drift
  }
  if (committed !== document) {
    console.error(`✗ ${OUT} is out of date with the api worker's routes (run \`npm run openapi\`)`);
    process.exit(1);
  }
  console.log(`✓ ${OUT} is up to date`);
}
