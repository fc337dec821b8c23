/**
 * Re-derives the contract-testing pending list from audit runs. Run each suite with
 * CONTRACT_AUDIT=1 and its logs shown, then hand the logs to this script:
 *
 *   CONTRACT_AUDIT=1 npx vitest run --project worker-api --silent=false > .local/audit-api.log
 *   npx tsx scripts/contract-audit.ts .local/audit-*.log
 *
 * It prints the violations no pending entry covers (they fail the suites) and the pending
 * entries no violation needed (stale: delete them). Exit code 1 when either list is non-empty.
 */
import { readFileSync } from "node:fs";
import { PENDING, type PendingMismatch, pendingFor, type Violation } from "@questline/contract-testing";
import { AUDIT_MARKER } from "@questline/contract-testing/suite";

const files = process.argv.slice(2);
if (!files.length) {
  console.error("usage: tsx scripts/contract-audit.ts <audit log>…");
  process.exit(2);
}
const used = new Set<PendingMismatch>();
const uncovered = new Map<string, number>();
let seen = 0;
for (const file of files) {
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const at = line.indexOf(`${AUDIT_MARKER} `);
    if (at < 0) continue;
    const record = JSON.parse(line.slice(at + AUDIT_MARKER.length + 1)) as {
      against: Violation["against"];
      document: string;
      method: string;
      operation: string | null;
      operationId: string | null;
      path: string;
      status: number;
      mismatches: Violation["mismatches"];
    };
    seen++;
    const violation: Violation = {
      against: record.against,
      document: record.document,
      method: record.method,
      path: record.path,
      status: record.status,
      mismatches: record.mismatches,
      body: "",
      ...(record.operation
        ? {
            operation: {
              method: record.method,
              path: record.operation.slice(record.operation.indexOf(" ") + 1),
              operationId: record.operationId ?? undefined,
            },
          }
        : {}),
    };
    const entry = pendingFor(violation);
    if (entry) used.add(entry);
    else {
      const key = `${record.against} ${record.document}: ${record.operation ?? `${record.method} ${record.path} (undocumented)`} → ${record.status}: ${record.mismatches[0]?.pointer || "(body)"} ${record.mismatches[0]?.message}`;
      uncovered.set(key, (uncovered.get(key) ?? 0) + 1);
    }
  }
}
console.log(`${seen} violations in ${files.length} log(s); pending list: ${PENDING.length} entries`);
for (const [key, count] of uncovered) console.log(`✗ not pending (${count}×): ${key}`);
const stale = PENDING.filter((entry) => !used.has(entry));
for (const entry of stale) console.log(`? never needed: ${entry.against} ${entry.method ?? "*"} ${entry.path}`);
process.exit(uncovered.size || stale.length ? 1 : 0);
