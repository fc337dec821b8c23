import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig, RateLimitBinding } from "../config.js";
import { edgeName } from "../naming.js";
import { EdgeStorage } from "./edge-storage.js";
import { EdgeWorker, type WorkerBinding } from "./edge-worker.js";

/** What the edge needs to know about the AWS side. */
export interface CoreConnection {
  /** CORE_URL: the failover hostname of the core API. */
  coreApiUrl: string;
  /** CORE_REGION, the SigV4 signing region: the region currently serving the core API. */
  coreApiRegion: string;
  edgeAccessKeyId: pulumi.Input<string>;
  edgeSecretAccessKey: pulumi.Input<string>;
  /** The media worker's own key: the only principal the core accepts media records from. */
  mediaAccessKeyId: pulumi.Input<string>;
  mediaSecretAccessKey: pulumi.Input<string>;
  cognitoRegion: string;
  cognitoUserPoolId: pulumi.Input<string>;
  cognitoClientIds: { app: pulumi.Input<string>; dashboard: pulumi.Input<string>; machine: pulumi.Input<string> };
}

export interface EdgePlatformArgs {
  config: PlatformConfig;
  core: CoreConnection;
}

/** Binding names the worker code reads (`env.<NAME>`); wrangler.toml uses the same names. */
export const WORKER_BINDINGS = {
  catalogDb: "DB",
  mediaBucket: "MEDIA",
} as const;

const plainText = (name: string, text: pulumi.Input<string>): WorkerBinding => ({ type: "plain_text", name, text });
const secretText = (name: string, text: pulumi.Input<string>): WorkerBinding => ({ type: "secret_text", name, text });
const rateLimit = (limit: RateLimitBinding): WorkerBinding => ({
  type: "ratelimit",
  name: limit.binding,
  namespaceId: limit.namespaceId,
  simple: { limit: limit.limit, period: limit.periodSeconds },
});

/** The Cloudflare side: D1, R2 and the three workers with their domains, bindings and secrets. */
export class EdgePlatform extends pulumi.ComponentResource {
  readonly storage: EdgeStorage;
  readonly workers: { api: EdgeWorker; media: EdgeWorker; indexer: EdgeWorker };

  constructor(name: string, args: EdgePlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:cloudflare:EdgePlatform", name, {}, opts);
    const { config, core } = args;
    const cf = config.cloudflare;
    const parent = { parent: this };

    this.storage = new EdgeStorage(
      "edge-storage",
      {
        stack: config.stack,
        accountId: cf.accountId,
        corsOrigins: cf.corsOrigins,
        d1LocationHint: cf.d1LocationHint,
        r2Location: cf.r2Location,
        protect: config.deletionProtection,
      },
      parent,
    );

    const catalogDb: WorkerBinding = { type: "d1", name: WORKER_BINDINGS.catalogDb, id: this.storage.catalog.id };
    const identityVars = [
      plainText("ENVIRONMENT", config.stack),
      plainText("COGNITO_REGION", core.cognitoRegion),
      plainText("COGNITO_USER_POOL_ID", core.cognitoUserPoolId),
      plainText(
        "JWKS_URL",
        pulumi.interpolate`https://cognito-idp.${core.cognitoRegion}.amazonaws.com/${core.cognitoUserPoolId}/.well-known/jwks.json`,
      ),
    ];
    const ids = core.cognitoClientIds;
    const extraVars = (worker: "api" | "media" | "indexer") =>
      Object.entries(cf.vars?.[worker] ?? {}).map(([name, value]) => plainText(name, value));
    const mediaSecrets = config.mediaSecrets;
    // The edge's only AWS credentials: one IAM user per worker, allowed nothing but
    // execute-api:Invoke (the media worker's only on the media record writes).
    const coreAccess = (accessKeyId: pulumi.Input<string>, secretAccessKey: pulumi.Input<string>) => [
      plainText("CORE_URL", core.coreApiUrl),
      plainText("CORE_REGION", core.coreApiRegion),
      secretText("AWS_ACCESS_KEY_ID", accessKeyId),
      secretText("AWS_SECRET_ACCESS_KEY", secretAccessKey),
    ];
    const shared = {
      accountId: cf.accountId,
      zoneId: cf.zoneId,
      repoRoot: config.repoRoot,
      skipBundling: config.skipBundling,
      compatibilityDate: cf.compatibilityDate,
    };

    this.workers = {
      api: new EdgeWorker(
        "worker-api",
        {
          ...shared,
          scriptName: edgeName("questline-api", config.stack),
          wranglerConfig: "wrangler.toml",
          hostname: cf.apiHostname,
          bindings: [
            catalogDb,
            ...identityVars,
            plainText("COGNITO_CLIENT_IDS", pulumi.interpolate`${ids.app},${ids.dashboard},${ids.machine}`),
            ...coreAccess(core.edgeAccessKeyId, core.edgeSecretAccessKey),
            ...cf.rateLimits.api.map(rateLimit),
            ...extraVars("api"),
          ],
        },
        parent,
      ),
      media: new EdgeWorker(
        "worker-media",
        {
          ...shared,
          scriptName: edgeName("questline-media", config.stack),
          wranglerConfig: "workers/media/wrangler.toml",
          hostname: cf.mediaHostname,
          bindings: [
            { type: "r2_bucket", name: WORKER_BINDINGS.mediaBucket, bucketName: this.storage.mediaBucket.name },
            ...identityVars,
            plainText("COGNITO_CLIENT_IDS", pulumi.interpolate`${ids.dashboard},${ids.app}`),
            plainText("R2_ACCOUNT_ID", cf.accountId),
            plainText("R2_BUCKET_NAME", this.storage.mediaBucket.name),
            ...coreAccess(core.mediaAccessKeyId, core.mediaSecretAccessKey),
            secretText("MEDIA_SIGNING_SECRET", mediaSecrets.signingSecret),
            ...(mediaSecrets.r2AccessKeyId && mediaSecrets.r2SecretAccessKey
              ? [
                  secretText("R2_ACCESS_KEY_ID", mediaSecrets.r2AccessKeyId),
                  secretText("R2_SECRET_ACCESS_KEY", mediaSecrets.r2SecretAccessKey),
                ]
              : []),
            ...cf.rateLimits.media.map(rateLimit),
            ...extraVars("media"),
          ],
        },
        parent,
      ),
      indexer: new EdgeWorker(
        "worker-indexer",
        {
          ...shared,
          scriptName: edgeName("questline-indexer", config.stack),
          wranglerConfig: "workers/indexer/wrangler.toml",
          hostname: cf.indexerHostname,
          bindings: [
            catalogDb,
            plainText("ENVIRONMENT", config.stack),
            secretText("INDEXER_ACCESS_KEY_ID", config.indexerSigningKey.accessKeyId),
            secretText("INDEXER_SECRET_ACCESS_KEY", config.indexerSigningKey.secretAccessKey),
            ...extraVars("indexer"),
          ],
        },
        parent,
      ),
    };
    if (cf.mediaCrons.length > 0) {
      new cloudflare.WorkersCronTrigger(
        "worker-media-crons",
        {
          accountId: cf.accountId,
          scriptName: this.workers.media.script.scriptName,
          schedules: cf.mediaCrons.map((cron) => ({ cron })),
        },
        parent,
      );
    }
    this.registerOutputs({ d1DatabaseId: this.storage.catalog.id });
  }
}
