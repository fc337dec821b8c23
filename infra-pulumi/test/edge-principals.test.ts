import { beforeAll, describe, expect, it } from "vitest";
import { containsSecret, type DeclaredResource, declareWithMocks, ofType, single, testConfig } from "./harness.js";

/**
 * Issue #14 item 1 in production: the media worker signs with an IAM user of its own, and the
 * core accepts media records (MEDIA_WRITER_ARNS) from that user alone, so the api worker —
 * which forwards clients' `/dashboard/media` — cannot forge one.
 */
let resources: DeclaredResource[];
beforeAll(async () => {
  resources = await declareWithMocks(testConfig("prod"));
});

const PRIMARY = "questline-prod-eu-west-1";
const API_PRINCIPAL_ARN = `arn:aws:iam::123456789012:user/questline/${PRIMARY}-edge`;
const MEDIA_PRINCIPAL_ARN = `arn:aws:iam::123456789012:user/questline/${PRIMARY}-media`;
const API_IDS = {
  "eu-west-1": "questline-prod-eu-west-1-core-api-id",
  "eu-north-1": "questline-prod-eu-north-1-core-api-id",
};

interface Binding {
  type: string;
  name: string;
  text?: string;
}
const bindingsOf = (script: string) =>
  Object.fromEntries(
    (single(resources, "cloudflare:index/workersScript:WorkersScript", script).inputs.bindings as Binding[]).map(
      (b) => [b.name, b],
    ),
  );
const invokePolicyOf = (purpose: "edge" | "media") =>
  JSON.parse(
    String(single(resources, "aws:iam/userPolicy:UserPolicy", `${PRIMARY}-${purpose}-invoke-core`).inputs.policy),
  ).Statement as { Effect: string; Action: string[]; Resource: string[] }[];
const apiEnvironment = (region: string) =>
  (
    single(resources, "aws:lambda/function:Function", `questline-prod-${region}-api`).inputs.environment as {
      variables: Record<string, string>;
    }
  ).variables;

describe("edge principals", () => {
  it("declares two distinct IAM users, each with its own access key and Secrets Manager copy", () => {
    const users = ofType(resources, "aws:iam/user:User").map((u) => u.inputs.name);
    expect(users.sort()).toEqual([`${PRIMARY}-edge`, `${PRIMARY}-media`]);
    const keys = ofType(resources, "aws:iam/accessKey:AccessKey").map((k) => [k.name, k.inputs.user]);
    expect(keys.sort()).toEqual([
      [`${PRIMARY}-edge-key`, `${PRIMARY}-edge`],
      [`${PRIMARY}-media-key`, `${PRIMARY}-media`],
    ]);
    const secrets = ofType(resources, "aws:secretsmanager/secret:Secret").map((s) => String(s.inputs.name));
    expect(secrets).toContain(`${PRIMARY}-edge-credentials`);
    expect(secrets).toContain(`${PRIMARY}-media-credentials`);
    const mediaCopy = single(
      resources,
      "aws:secretsmanager/secretVersion:SecretVersion",
      `${PRIMARY}-media-credentials`,
    );
    expect(JSON.parse(String(mediaCopy.inputs.secretString))).toEqual({
      accessKeyId: `${PRIMARY}-media-key-id`,
      secretAccessKey: `${PRIMARY}-media-key-secret`,
    });
  });

  it("hands the media worker the media principal's key and the api worker the api principal's", () => {
    const media = bindingsOf("questline-media");
    expect(media.AWS_ACCESS_KEY_ID).toMatchObject({ type: "secret_text", text: `${PRIMARY}-media-key-id` });
    expect(media.AWS_SECRET_ACCESS_KEY).toMatchObject({ type: "secret_text", text: `${PRIMARY}-media-key-secret` });
    const api = bindingsOf("questline-api");
    expect(api.AWS_ACCESS_KEY_ID?.text).toBe(`${PRIMARY}-edge-key-id`);
    expect(api.AWS_SECRET_ACCESS_KEY?.text).toBe(`${PRIMARY}-edge-key-secret`);
    const rawMedia = single(resources, "cloudflare:index/workersScript:WorkersScript", "questline-media").rawInputs;
    expect(containsSecret(rawMedia.bindings)).toBe(true);
  });

  it("lets the media principal invoke only the media record writes, in both regions' APIs", () => {
    const statements = invokePolicyOf("media");
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Effect).toBe("Allow");
    expect(statements[0]?.Action).toEqual(["execute-api:Invoke"]);
    expect(statements[0]?.Resource.sort()).toEqual(
      Object.entries(API_IDS)
        .flatMap(([region, id]) => [
          `arn:aws:execute-api:${region}:123456789012:${id}/*/POST/dashboard/media`,
          `arn:aws:execute-api:${region}:123456789012:${id}/*/DELETE/dashboard/media/*`,
        ])
        .sort(),
    );
    // The api principal keeps the whole API (it forwards every client route).
    expect(invokePolicyOf("edge")[0]?.Resource).toEqual(
      Object.entries(API_IDS).map(([region, id]) => `arn:aws:execute-api:${region}:123456789012:${id}/*/*`),
    );
  });

  it("sets MEDIA_WRITER_ARNS on the api Lambda of both regions to the media principal alone", () => {
    for (const region of Object.keys(API_IDS)) {
      const writers = apiEnvironment(region).MEDIA_WRITER_ARNS?.split(",");
      expect(writers, region).toEqual([MEDIA_PRINCIPAL_ARN]);
      expect(writers, region).not.toContain(API_PRINCIPAL_ARN);
    }
  });
});
