import { beforeAll, describe, expect, it } from "vitest";
import { ABORT_INCOMPLETE_UPLOADS_AFTER_SECONDS } from "../src/cloudflare/edge-storage.js";
import { containsSecret, type DeclaredResource, declareWithMocks, ofType, single, testConfig } from "./harness.js";

let resources: DeclaredResource[];
beforeAll(async () => {
  resources = await declareWithMocks(testConfig("prod"));
});

interface Binding {
  type: string;
  name: string;
  text?: string;
  id?: string;
  bucketName?: string;
  namespaceId?: string;
  simple?: { limit: number; period: number };
}
const bindingsOf = (script: string) =>
  single(resources, "cloudflare:index/workersScript:WorkersScript", script).inputs.bindings as Binding[];
const byName = (bindings: Binding[]) => Object.fromEntries(bindings.map((b) => [b.name, b]));

describe("Cloudflare storage", () => {
  it("creates the D1 catalog and the R2 media bucket under their production names", () => {
    expect(single(resources, "cloudflare:index/d1Database:D1Database").inputs.name).toBe("questline-catalog");
    expect(single(resources, "cloudflare:index/r2Bucket:R2Bucket").inputs.name).toBe("questline-media");
  });

  it("keeps the R2 bucket private: r2.dev disabled, no custom domain", () => {
    expect(single(resources, "cloudflare:index/r2ManagedDomain:R2ManagedDomain").inputs).toMatchObject({
      bucketName: "questline-media",
      enabled: false,
    });
    expect(ofType(resources, "cloudflare:index/r2CustomDomain:R2CustomDomain")).toHaveLength(0);
  });

  it("allows CORS for presigned uploads from the configured origins only", () => {
    const rules = single(resources, "cloudflare:index/r2BucketCors:R2BucketCors").inputs.rules as {
      allowed: { origins: string[]; methods: string[] };
      exposeHeaders: string[];
    }[];
    expect(rules).toHaveLength(1);
    expect(rules[0]?.allowed.origins).toEqual(["https://dashboard.questline.example"]);
    expect(rules[0]?.allowed.methods).toContain("PUT");
    expect(rules[0]?.exposeHeaders).toContain("ETag");
  });

  it("aborts incomplete multipart uploads", () => {
    const rules = single(resources, "cloudflare:index/r2BucketLifecycle:R2BucketLifecycle").inputs.rules as {
      enabled: boolean;
      abortMultipartUploadsTransition: { condition: { type: string; maxAge: number } };
    }[];
    expect(rules[0]?.enabled).toBe(true);
    expect(rules[0]?.abortMultipartUploadsTransition.condition).toEqual({
      type: "Age",
      maxAge: ABORT_INCOMPLETE_UPLOADS_AFTER_SECONDS,
    });
  });
});

describe("Cloudflare workers", () => {
  it("deploys the three workers on their custom domains", () => {
    const domains = ofType(resources, "cloudflare:index/workersCustomDomain:WorkersCustomDomain").map((d) => [
      d.inputs.service,
      d.inputs.hostname,
    ]);
    expect(domains.sort()).toEqual([
      ["questline-api", "api.questline.example"],
      ["questline-indexer", "indexer.questline.example"],
      ["questline-media", "media.questline.example"],
    ]);
  });

  it("binds D1, R2, rate limits and the core connection with the names in the wrangler configs", () => {
    const api = byName(bindingsOf("questline-api"));
    expect(api.DB).toMatchObject({ type: "d1", id: "questline-catalog-id" });
    expect(api.CORE_URL).toMatchObject({ type: "plain_text", text: "https://core.prod.questline.example" });
    expect(api.CORE_REGION?.text).toBe("eu-west-1");
    expect(api.COGNITO_USER_POOL_ID?.type).toBe("plain_text");
    expect(api.JWKS_URL?.text).toMatch(
      /^https:\/\/cognito-idp\.eu-west-1\.amazonaws\.com\/.+\/\.well-known\/jwks\.json$/,
    );
    expect(api.WORKSPACE_RATE_LIMITER).toMatchObject({
      type: "ratelimit",
      namespaceId: "1001",
      simple: { limit: 6000, period: 60 },
    });
    expect(api.USER_RATE_LIMITER).toMatchObject({
      type: "ratelimit",
      namespaceId: "1002",
      simple: { limit: 600, period: 60 },
    });
    expect(api.COGNITO_CLIENT_IDS?.text?.split(",")).toHaveLength(3);
    expect(api.CORE_TIMEOUT_MS?.text).toBe("8000");
    const media = byName(bindingsOf("questline-media"));
    expect(media.MEDIA).toMatchObject({ type: "r2_bucket", bucketName: "questline-media" });
    expect(media.R2_BUCKET_NAME?.text).toBe("questline-media");
    expect(media.CORE_URL?.text).toBe("https://core.prod.questline.example");
    // Both internet-facing workers limit by client address; the media worker also per workspace and user.
    expect(api.CLIENT_RATE_LIMITER).toMatchObject({ type: "ratelimit", simple: { limit: 2000, period: 60 } });
    for (const name of ["CLIENT_RATE_LIMITER", "WORKSPACE_RATE_LIMITER", "USER_RATE_LIMITER"]) {
      expect(media[name], name).toMatchObject({ type: "ratelimit" });
    }
    const crons = single(resources, "cloudflare:index/workersCronTrigger:WorkersCronTrigger").inputs;
    expect(crons).toMatchObject({ scriptName: "questline-media", schedules: [{ cron: "17 * * * *" }] });
    const indexer = byName(bindingsOf("questline-indexer"));
    expect(indexer.DB?.type).toBe("d1");
    expect(indexer.AWS_ACCESS_KEY_ID).toBeUndefined();
  });

  it("sets the edge's AWS credentials and the indexer signing key as secret_text, never plain text", () => {
    const api = byName(bindingsOf("questline-api"));
    expect(api.AWS_ACCESS_KEY_ID).toMatchObject({ type: "secret_text", text: "questline-prod-eu-west-1-edge-key-id" });
    expect(api.AWS_SECRET_ACCESS_KEY).toMatchObject({
      type: "secret_text",
      text: "questline-prod-eu-west-1-edge-key-secret",
    });
    const indexer = byName(bindingsOf("questline-indexer"));
    expect(indexer.INDEXER_ACCESS_KEY_ID).toMatchObject({ type: "secret_text", text: "QLINDEXER" });
    expect(indexer.INDEXER_SECRET_ACCESS_KEY).toMatchObject({ type: "secret_text", text: "indexer-secret" });
    const media = byName(bindingsOf("questline-media"));
    expect(media.MEDIA_SIGNING_SECRET).toMatchObject({ type: "secret_text", text: "media-signing-secret" });
    expect(media.AWS_SECRET_ACCESS_KEY?.type).toBe("secret_text");
    const rawApi = single(resources, "cloudflare:index/workersScript:WorkersScript", "questline-api").rawInputs;
    expect(containsSecret(rawApi.bindings)).toBe(true);
  });

  it("suffixes Cloudflare names with the stack outside prod, like wrangler environments", async () => {
    const staging = await declareWithMocks(testConfig("staging"));
    const names = ofType(staging, "cloudflare:index/workersScript:WorkersScript")
      .map((s) => s.inputs.scriptName)
      .filter((n) => String(n).endsWith("-staging"));
    expect(names.sort()).toEqual(["questline-api-staging", "questline-indexer-staging", "questline-media-staging"]);
    expect(ofType(staging, "cloudflare:index/d1Database:D1Database").map((d) => d.inputs.name)).toContain(
      "questline-catalog-staging",
    );
  });
});
