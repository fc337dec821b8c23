import { type IndexBatchResponse, indexBatchSchema, QuestlineError } from "@questline/contracts";
import { Hono } from "hono";
import { requireSignedRequest } from "../auth/require-signed-request";
import type { AppEnv } from "../env";
import { parseJsonBody } from "../parse-json-body";
import { applyIndexBatch } from "./apply-index-batch";

/**
 * `POST /batches` — a signed batch of index operations from the stream handler (or the
 * sync tools, `?source=reindex|repair`: same apply, not counted as stream lag). 200 with one result per operation, in order; 400 when
 * any operation does not match the contract; 401/403 for a bad signature.
 */
export const batchesRoute = new Hono<AppEnv>().post("/", requireSignedRequest, async (c) => {
  const batch = parseJsonBody(c.get("rawBody"), indexBatchSchema, "index batch");
  const source = parseSource(c.req.query("source"));
  const summary = await applyIndexBatch(c.env.DB, batch.operations, { source });
  console.log(
    JSON.stringify({
      msg: "index batch",
      requestId: c.get("requestId"),
      source,
      operations: batch.operations.length,
      applied: summary.applied,
      stale: summary.stale,
      failed: summary.failed,
      statements: summary.statements,
      lagMs: summary.lagMs,
    }),
  );
  const body: IndexBatchResponse = { results: summary.results };
  return c.json(body, 200);
});

const SOURCES = ["stream", "reindex", "repair"] as const;

function parseSource(value: string | undefined): (typeof SOURCES)[number] {
  if (value === undefined) return "stream";
  const source = SOURCES.find((s) => s === value);
  if (!source) throw new QuestlineError("request.validation_failed", `Unknown source "${value}"`);
  return source;
}
