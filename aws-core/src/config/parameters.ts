import { JSON_BODY_MAX_BYTES, JSON_MAX_DEPTH } from "@questline/contracts/limits";
import { z } from "zod";

/**
 * Every non-secret setting of the AWS core that may differ per stage: one entry per parameter,
 * with the SSM name it has under the stage's path (`/questline/<stage>/<name>`), the environment
 * variable that stands in for it where no path is configured (local stack, tests), its schema
 * (which holds the default) and what it does. Secrets are not here: they stay in Secrets Manager
 * or the function's encrypted environment.
 *
 * This file imports nothing of the core (only zod and the contracts' limits), so infra-pulumi
 * can declare the parameters from it and `docs/configuration.md` is generated from it.
 */
export interface ParameterSpec<S extends z.ZodType = z.ZodType> {
  /** Name under the stage path, e.g. `indexer/timeout-ms`. */
  name: string;
  /** Environment variable read when no SSM path is configured (or the path lacks the name). */
  env: string;
  schema: S;
  description: string;
  /** Which handlers read it. */
  readBy: readonly ("api" | "stream" | "scheduled")[];
}

const DAY_SECONDS = 24 * 60 * 60;

/** A whole number given as text (SSM String values and environment variables are text). */
function integer(min: number, max: number, fallback: number) {
  return z
    .string()
    .trim()
    .regex(/^-?\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback)
    .meta({ allowed: `${min}–${max}` });
}

function spec<S extends z.ZodType>(entry: ParameterSpec<S>): ParameterSpec<S> {
  return entry;
}

export const CONFIG_PARAMETERS = {
  indexerUrl: spec({
    name: "indexer/url",
    env: "INDEXER_URL",
    schema: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .optional()
      .meta({ allowed: "http(s) URL" }),
    description: "Base URL of workers/indexer, where the stream handler posts signed index batches (required there).",
    readBy: ["stream"],
  }),
  mediaPublicUrl: spec({
    name: "media/public-url",
    env: "MEDIA_PUBLIC_URL",
    schema: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .optional()
      .meta({ allowed: "http(s) URL" }),
    description:
      "Base URL of the media host (workers/media). Media records answer `url` = `<base>/files/<key>`; without it they have none.",
    readBy: ["api"],
  }),
  indexerTimeoutMs: spec({
    name: "indexer/timeout-ms",
    env: "INDEXER_TIMEOUT_MS",
    schema: integer(100, 60_000, 10_000),
    description: "How long the stream handler waits for the indexer to answer one batch before retrying it.",
    readBy: ["stream"],
  }),
  bodyMaxBytes: spec({
    name: "http/body-max-bytes",
    env: "BODY_MAX_BYTES",
    schema: integer(1024, JSON_BODY_MAX_BYTES, JSON_BODY_MAX_BYTES),
    description:
      "Largest JSON request body the core accepts (413 `request.too_large`). At most the documented API limit, which the edge enforces first.",
    readBy: ["api"],
  }),
  bodyMaxDepth: spec({
    name: "http/body-max-depth",
    env: "BODY_MAX_DEPTH",
    schema: integer(4, JSON_MAX_DEPTH, JSON_MAX_DEPTH),
    description: "Deepest nesting of a JSON request body (400 `request.too_deep`); DynamoDB's own limit is 32.",
    readBy: ["api"],
  }),
  policyCacheTtlMs: spec({
    name: "authorization/policy-cache-ttl-ms",
    env: "POLICY_CACHE_TTL_MS",
    schema: integer(0, 300_000, 30_000),
    description:
      "How long an instance keeps a workspace's Cedar policies before reading them again: the propagation time of a policy change to other instances.",
    readBy: ["api"],
  }),
  flagsMaxAgeSeconds: spec({
    name: "flags/max-age-seconds",
    env: "FLAGS_MAX_AGE_SECONDS",
    schema: integer(0, 3600, 30),
    description:
      "How long an instance reuses the feature flags it read from AppConfig before polling again: the time a rollout step or a rollback takes to reach every instance.",
    readBy: ["api"],
  }),
  engineConfigCacheMs: spec({
    name: "engine/config-cache-ms",
    env: "ENGINE_CONFIG_CACHE_MS",
    schema: integer(0, 60_000, 2_000),
    description:
      "How long an instance keeps a workspace's published engine configuration (rules, missions, rewards, leaderboards) before reading it again.",
    readBy: ["api", "scheduled"],
  }),
  leaderboardInstanceCacheMs: spec({
    name: "leaderboards/instance-cache-ms",
    env: "LEADERBOARD_INSTANCE_CACHE_MS",
    schema: integer(0, 60_000, 5_000),
    description: "How long an instance keeps a leaderboard instance's metadata on the read path.",
    readBy: ["api"],
  }),
  leaderboardEndedRetentionDays: spec({
    name: "leaderboards/ended-retention-days",
    env: "LEADERBOARD_ENDED_RETENTION_DAYS",
    schema: integer(1, 3650, 400),
    description:
      "Days the scores of an ended leaderboard instance stay in DynamoDB (queryable and rebuildable) before their TTL removes them.",
    readBy: ["api"],
  }),
  leaderboardRedisRetentionDays: spec({
    name: "leaderboards/redis-ended-retention-days",
    env: "LEADERBOARD_REDIS_RETENTION_DAYS",
    schema: integer(1, 365, 30),
    description:
      "Days the Redis keys of an ended leaderboard instance live (a later read rebuilds them from DynamoDB).",
    readBy: ["api"],
  }),
  idempotencyExpiresAfterSeconds: spec({
    name: "idempotency/expires-after-seconds",
    env: "IDEMPOTENCY_EXPIRES_AFTER_SECONDS",
    schema: integer(60, 7 * DAY_SECONDS, DAY_SECONDS),
    description: "How long a write's stored result is replayed for the same `x-idempotency-key` (the record's TTL).",
    readBy: ["api"],
  }),
} as const;

type Specs = typeof CONFIG_PARAMETERS;
export type ConfigKey = keyof Specs;

const shape = Object.fromEntries(Object.entries(CONFIG_PARAMETERS).map(([key, entry]) => [key, entry.schema])) as {
  [K in ConfigKey]: Specs[K]["schema"];
};

/** Raw values by key (text, as SSM and the environment give them) → the typed configuration. */
export const coreConfigSchema = z.object(shape);
export type CoreConfig = z.output<typeof coreConfigSchema>;

/** The configuration with nothing set: every default. */
export const CONFIG_DEFAULTS: CoreConfig = Object.freeze(coreConfigSchema.parse({}));

/** Path of a stage's parameters: `/questline/<stage>` (no trailing slash). */
export function stageParameterPath(stage: string, project = "questline"): string {
  if (!/^[a-z0-9-]+$/.test(stage)) throw new Error(`invalid stage name ${JSON.stringify(stage)}`);
  return `/${project}/${stage}`;
}

/**
 * A parameter's value as it is stored in SSM (text), from a typed value or a default. Used by
 * infra-pulumi to declare every parameter with an explicit value.
 */
export function parameterText(value: CoreConfig[ConfigKey]): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** The values a parameter accepts, as the docs show them (`100–60000`, `http(s) URL`). */
export function parameterAllowed(key: ConfigKey): string {
  const allowed = z.globalRegistry.get(CONFIG_PARAMETERS[key].schema)?.allowed;
  return typeof allowed === "string" ? allowed : "";
}

/**
 * The table of every parameter for docs/configuration.md (generated: `npm run config:doc`;
 * `npm run check` fails when the committed copy differs).
 */
export function configurationTable(): string {
  const rows = (Object.keys(CONFIG_PARAMETERS) as ConfigKey[]).map((key) => {
    const entry = CONFIG_PARAMETERS[key];
    const fallback = CONFIG_DEFAULTS[key];
    return [
      `\`${entry.name}\``,
      `\`${entry.env}\``,
      fallback === undefined ? "— (set by infra-pulumi)" : `\`${String(fallback)}\``,
      parameterAllowed(key),
      entry.readBy.join(", "),
      entry.description.replaceAll("|", "\\|"),
    ];
  });
  return [
    "| parameter (under `/questline/<stage>/`) | local environment variable | default | allowed | read by | what it does |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((cells) => `| ${cells.join(" | ")} |`),
  ].join("\n");
}
