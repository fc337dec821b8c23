import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { edgeName } from "../naming.js";

export interface EdgeStorageArgs {
  stack: string;
  accountId: string;
  /** Origins allowed to PUT presigned uploads straight to R2 (admin dashboard). */
  corsOrigins: string[];
  d1LocationHint: string;
  r2Location: string;
  protect: boolean;
}

export const D1_BASE_NAME = "questline-catalog";
export const R2_BASE_NAME = "questline-media";
export const ABORT_INCOMPLETE_UPLOADS_AFTER_SECONDS = 7 * 24 * 3600;

/**
 * The edge's data: the D1 catalog index and the R2 media bucket. The bucket is private (the
 * r2.dev URL is explicitly disabled, no custom domain: media is served only through
 * workers/media), allows CORS for presigned uploads from the dashboard, and aborts multipart
 * uploads left incomplete.
 */
export class EdgeStorage extends pulumi.ComponentResource {
  readonly catalog: cloudflare.D1Database;
  readonly mediaBucket: cloudflare.R2Bucket;

  constructor(name: string, args: EdgeStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:cloudflare:EdgeStorage", name, {}, opts);
    const parent = { parent: this };
    const bucketName = edgeName(R2_BASE_NAME, args.stack);

    this.catalog = new cloudflare.D1Database(
      edgeName(D1_BASE_NAME, args.stack),
      {
        accountId: args.accountId,
        name: edgeName(D1_BASE_NAME, args.stack),
        primaryLocationHint: args.d1LocationHint,
      },
      { parent: this, protect: args.protect },
    );

    this.mediaBucket = new cloudflare.R2Bucket(
      bucketName,
      {
        accountId: args.accountId,
        name: bucketName,
        location: args.r2Location,
        storageClass: "Standard",
      },
      { parent: this, protect: args.protect },
    );

    new cloudflare.R2ManagedDomain(
      `${bucketName}-r2-dev-disabled`,
      {
        accountId: args.accountId,
        bucketName: this.mediaBucket.name,
        enabled: false,
      },
      parent,
    );

    new cloudflare.R2BucketCors(
      `${bucketName}-cors`,
      {
        accountId: args.accountId,
        bucketName: this.mediaBucket.name,
        rules: [
          {
            id: "presigned-uploads",
            allowed: {
              origins: args.corsOrigins,
              methods: ["PUT", "POST", "GET", "HEAD"],
              headers: ["content-type", "content-md5", "x-amz-content-sha256", "x-amz-date", "authorization"],
            },
            exposeHeaders: ["ETag"],
            maxAgeSeconds: 3600,
          },
        ],
      },
      parent,
    );

    new cloudflare.R2BucketLifecycle(
      `${bucketName}-lifecycle`,
      {
        accountId: args.accountId,
        bucketName: this.mediaBucket.name,
        rules: [
          {
            id: "abort-incomplete-multipart-uploads",
            enabled: true,
            conditions: { prefix: "" },
            abortMultipartUploadsTransition: {
              condition: { type: "Age", maxAge: ABORT_INCOMPLETE_UPLOADS_AFTER_SECONDS },
            },
          },
        ],
      },
      parent,
    );

    this.registerOutputs({ d1DatabaseId: this.catalog.id, bucketName: this.mediaBucket.name });
  }
}
