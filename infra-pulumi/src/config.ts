import * as pulumi from "@pulumi/pulumi";

/** The four Lambda handlers of aws-core, keyed by what they do. */
export type HandlerRole = "api" | "stream" | "scheduled" | "preToken";
export const HANDLER_ROLES: readonly HandlerRole[] = ["api", "stream", "scheduled", "preToken"];

export interface FunctionSizing {
  memoryMb: number;
  timeoutSeconds: number;
  /** Caps the function's concurrency (and reserves it). Omit for the account pool. */
  reservedConcurrency?: number;
  /** Keeps this many environments warm on the `live` alias. Omit or 0 for none. */
  provisionedConcurrency?: number;
}

export interface RateLimitBinding {
  /** Binding name the worker code reads (`env.<binding>`). */
  binding: string;
  /** Workers rate limiting namespace id (an integer chosen per environment). */
  namespaceId: string;
  limit: number;
  periodSeconds: 10 | 60;
}

export interface PlatformConfig {
  project: string;
  stack: string;
  primaryRegion: string;
  replicaRegion: string;
  /** The region that serves traffic and runs the stream/scheduled consumers (failover switch). */
  activeRegion: string;
  /** Deploy the full regional core (API, Lambdas, MemoryDB) in the replica region too. */
  standbyCoreInReplica: boolean;
  deletionProtection: boolean;
  /** Repo root; bundling reads handler entries and wrangler configs relative to it. */
  repoRoot: string;
  /** Skip esbuild / wrangler at program time (unit tests, offline previews). */
  skipBundling: boolean;
  logLevel: "debug" | "info" | "warn" | "error";
  logRetentionDays: number;
  alarmEmail?: string;
  functions: Record<HandlerRole, FunctionSizing>;
  network: {
    /** CIDR per region, e.g. { "eu-west-1": "10.40.0.0/16" }. */
    vpcCidrs: Record<string, string>;
    /** AZ suffixes for the private subnets (at least two), e.g. ["a", "b", "c"]. */
    availabilityZoneSuffixes: string[];
  };
  api: {
    /** Hosted zone that holds the failover name and certificate validation records. */
    hostedZoneId: string;
    /** Failover hostname the edge calls, e.g. core.questline.example. */
    coreDomain: string;
    throttlingBurstLimit: number;
    throttlingRateLimit: number;
    p99LatencyAlarmMs: number;
  };
  waf: { requestsPer5MinutesPerIp: number; tokenRequestsPer5MinutesPerIp: number };
  stream: {
    batchSize: number;
    maximumRetryAttempts: number;
    maximumRecordAgeSeconds: number;
    parallelizationFactor: number;
  };
  memoryDb: {
    nodeType: string;
    numShards: number;
    replicasPerShard: number;
    engineVersion: string;
    password: pulumi.Output<string>;
  };
  cognito: {
    domainPrefix: string;
    callbackUrls: string[];
    logoutUrls: string[];
  };
  /** Key pair the stream handler signs indexer batches with (also set on the indexer worker). */
  indexerSigningKey: { accessKeyId: pulumi.Output<string>; secretAccessKey: pulumi.Output<string> };
  /**
   * Non-secret core settings for this stage by SSM parameter name (`engine/config-cache-ms`, …;
   * the list is docs/configuration.md). Unset ones get their defaults; every one is declared.
   */
  coreParameters: Record<string, string>;
  /**
   * The flags document deployed to AppConfig (`questline:featureFlags`, validated by aws-core's
   * schema; docs/feature-flags.md). Unset: every flag's default.
   */
  featureFlags?: unknown;
  /** HMAC key of the API's pagination tokens (the same in every region, so tokens survive a failover). */
  paginationSecret: pulumi.Output<string>;
  backup: { retentionDays: number; scheduleCron: string };
  cloudflare: {
    accountId: string;
    zoneId: string;
    apiHostname: string;
    mediaHostname: string;
    indexerHostname: string;
    /** Region string the stream handler puts in the indexer signature scope. */
    indexerSigningRegion: string;
    corsOrigins: string[];
    compatibilityDate: string;
    d1LocationHint: string;
    r2Location: string;
    rateLimits: { api: RateLimitBinding[]; media: RateLimitBinding[] };
    /** Extra plain-text vars per worker (tuning knobs from the wrangler configs' [vars]). */
    vars?: Partial<Record<"api" | "media" | "indexer", Record<string, string>>>;
    /** Cron schedules of the media worker (its [triggers] crons). */
    mediaCrons: string[];
  };
  /** Secrets of the media worker: its URL-signing secret and the R2 S3-API key for presigned uploads. */
  mediaSecrets: {
    signingSecret: pulumi.Output<string>;
    r2AccessKeyId?: pulumi.Output<string>;
    r2SecretAccessKey?: pulumi.Output<string>;
  };
}

/** Reads the stack configuration (Pulumi.<stack>.yaml) — the only place config is read. */
export function readPlatformConfig(): PlatformConfig {
  const questline = new pulumi.Config("questline");
  const stack = pulumi.getStack();
  const primaryRegion = questline.get("primaryRegion") ?? "eu-west-1";
  const replicaRegion = questline.get("replicaRegion") ?? "eu-north-1";
  return {
    project: pulumi.getProject(),
    stack,
    primaryRegion,
    replicaRegion,
    activeRegion: questline.get("activeRegion") ?? primaryRegion,
    standbyCoreInReplica: questline.getBoolean("standbyCoreInReplica") ?? true,
    deletionProtection: questline.getBoolean("deletionProtection") ?? stack === "prod",
    repoRoot: questline.get("repoRoot") ?? new URL("../..", import.meta.url).pathname,
    skipBundling: questline.getBoolean("skipBundling") ?? false,
    logLevel: (questline.get("logLevel") as PlatformConfig["logLevel"] | undefined) ?? "info",
    logRetentionDays: questline.getNumber("logRetentionDays") ?? 30,
    alarmEmail: questline.get("alarmEmail"),
    functions: questline.requireObject<Record<HandlerRole, FunctionSizing>>("functions"),
    network: questline.requireObject<PlatformConfig["network"]>("network"),
    api: questline.requireObject<PlatformConfig["api"]>("api"),
    waf: questline.requireObject<PlatformConfig["waf"]>("waf"),
    stream: questline.requireObject<PlatformConfig["stream"]>("stream"),
    memoryDb: {
      ...questline.requireObject<Omit<PlatformConfig["memoryDb"], "password">>("memoryDb"),
      password: questline.requireSecret("memoryDbPassword"),
    },
    cognito: questline.requireObject<PlatformConfig["cognito"]>("cognito"),
    indexerSigningKey: {
      accessKeyId: questline.requireSecret("indexerAccessKeyId"),
      secretAccessKey: questline.requireSecret("indexerSecretAccessKey"),
    },
    paginationSecret: questline.requireSecret("paginationSecret"),
    coreParameters: Object.fromEntries(
      Object.entries(questline.getObject<Record<string, string | number>>("coreParameters") ?? {}).map(
        ([name, value]) => [name, String(value)],
      ),
    ),
    featureFlags: questline.getObject<unknown>("featureFlags"),
    backup: questline.getObject<PlatformConfig["backup"]>("backup") ?? {
      retentionDays: 35,
      scheduleCron: "cron(0 3 * * ? *)",
    },
    cloudflare: questline.requireObject<PlatformConfig["cloudflare"]>("cloudflare"),
    mediaSecrets: {
      signingSecret: questline.requireSecret("mediaSigningSecret"),
      r2AccessKeyId: questline.getSecret("r2AccessKeyId"),
      r2SecretAccessKey: questline.getSecret("r2SecretAccessKey"),
    },
  };
}
