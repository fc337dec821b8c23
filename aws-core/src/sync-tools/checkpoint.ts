import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ScanKey } from "./catalog-scan";

/** Resume state of a reindex: per scan segment, where to continue (or that it is done). */
export interface ReindexCheckpoint {
  scope: string;
  totalSegments: number;
  segments: Record<number, { lastEvaluatedKey?: ScanKey; done: boolean }>;
}

/** Loads a checkpoint that matches this run's scope and segment count; anything else starts over. */
export function loadCheckpoint(file: string | undefined, scope: string, totalSegments: number): ReindexCheckpoint {
  const fresh: ReindexCheckpoint = { scope, totalSegments, segments: {} };
  if (!file || !existsSync(file)) return fresh;
  const saved = JSON.parse(readFileSync(file, "utf8")) as ReindexCheckpoint;
  return saved.scope === scope && saved.totalSegments === totalSegments ? saved : fresh;
}

/** Writes atomically (temp file + rename), so a crash never leaves half a checkpoint. */
export function saveCheckpoint(file: string | undefined, checkpoint: ReindexCheckpoint): void {
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(checkpoint));
  renameSync(temp, file);
}

export function clearCheckpoint(file: string | undefined): void {
  if (file) rmSync(file, { force: true });
}
