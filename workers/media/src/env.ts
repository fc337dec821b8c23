import type { EdgeVariables } from "@questline/edge";

/** Secrets are not in wrangler.toml (wrangler secret put / .dev.vars), so `wrangler types` cannot see them. */
export interface MediaSecrets {
  MEDIA_SIGNING_SECRET: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  R2_ACCESS_KEY_ID?: string;
  R2_SECRET_ACCESS_KEY?: string;
  /** Optional multipart part size (bytes, ≥ 5 MiB; default 8 MiB). */
  MULTIPART_PART_BYTES?: string;
}

export type Bindings = Env & MediaSecrets;

/** Secrets without which the worker cannot work: the signed-URL key and the SigV4 key pair for the core. */
export const REQUIRED_BINDINGS = [
  "MEDIA_SIGNING_SECRET",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
] as const satisfies readonly (keyof Bindings)[];

export type AppEnv = { Bindings: Bindings; Variables: EdgeVariables };

export const MIB = 1024 * 1024;
export const R2_MIN_PART_BYTES = 5 * MIB;
export const MAX_OBJECT_BYTES = 5 * 1024 * MIB;
export const MAX_PARTS = 10_000;

export function maxDirectUploadBytes(env: Bindings): number {
  const configured = Number(env.MAX_DIRECT_UPLOAD_BYTES);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : 100 * MIB;
}
