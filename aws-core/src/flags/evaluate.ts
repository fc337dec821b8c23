import { createHash } from "node:crypto";
import { FLAG_CATALOG, FLAG_NAMES, type FlagName, type FlagSetting, type FlagsDocument } from "./catalog";

/** Rollout granularity: a workspace falls in one of 10,000 buckets (0.01 %). */
export const ROLLOUT_BUCKETS = 10_000;

/**
 * The workspace's bucket for a flag, 0–9999: the first 32 bits of SHA-256(`<flag>:<workspace>`)
 * modulo 10,000. Stable across instances and deployments, and independent per flag (the same
 * workspaces are not always the first to get every flag).
 */
export function rolloutBucket(flag: string, workspaceId: string): number {
  const digest = createHash("sha256").update(`${flag}:${workspaceId}`).digest();
  return digest.readUInt32BE(0) % ROLLOUT_BUCKETS;
}

/** The flag's setting in the document, or its catalog default. */
export function flagSetting(document: FlagsDocument, flag: FlagName): FlagSetting {
  return document.flags[flag] ?? FLAG_CATALOG[flag].default;
}

/**
 * Whether a flag is on for a workspace. In order: on the deny list → off; disabled → off; on the
 * allow list → on; else on when the workspace's bucket is below the rollout percentage.
 */
export function isEnabled(document: FlagsDocument, flag: FlagName, workspaceId: string): boolean {
  const setting = flagSetting(document, flag);
  if (setting.deny.includes(workspaceId)) return false;
  if (!setting.enabled) return false;
  if (setting.allow.includes(workspaceId)) return true;
  return rolloutBucket(flag, workspaceId) < Math.round(setting.rolloutPercent * (ROLLOUT_BUCKETS / 100));
}

/** Every flag of the catalog, evaluated for a workspace. */
export function evaluateFlags(document: FlagsDocument, workspaceId: string): Record<FlagName, boolean> {
  return Object.fromEntries(FLAG_NAMES.map((flag) => [flag, isEnabled(document, flag, workspaceId)])) as Record<
    FlagName,
    boolean
  >;
}
