import { AwsClient } from "aws4fetch";
import { z } from "zod";

/** The key pair the stream handler signs indexer batches with (not AWS credentials). */
export interface SigningKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

const secretSchema = z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) });

let cached: Promise<SigningKeys> | undefined;

/**
 * Signing keys, resolved once per container: `INDEXER_SIGNING_SECRET_ARN` (production: a
 * Secrets Manager secret whose string is `{"accessKeyId","secretAccessKey"}`) or else
 * `INDEXER_ACCESS_KEY_ID` / `INDEXER_SECRET_ACCESS_KEY` (local stack, tests).
 */
export function indexerSigningKeys(env: NodeJS.ProcessEnv = process.env): Promise<SigningKeys> {
  cached ??= resolveSigningKeys(env).catch((err: unknown) => {
    cached = undefined; // a failed lookup is retried by the next invocation
    throw err;
  });
  return cached;
}

/** Forgets the cached keys (tests; a rotated secret after a signature failure). */
export function resetIndexerSigningKeys(): void {
  cached = undefined;
}

async function resolveSigningKeys(env: NodeJS.ProcessEnv): Promise<SigningKeys> {
  const arn = env.INDEXER_SIGNING_SECRET_ARN;
  if (arn) return readSecret(arn, env);
  const accessKeyId = env.INDEXER_ACCESS_KEY_ID;
  const secretAccessKey = env.INDEXER_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error("Set INDEXER_SIGNING_SECRET_ARN or INDEXER_ACCESS_KEY_ID and INDEXER_SECRET_ACCESS_KEY");
  }
  return { accessKeyId, secretAccessKey };
}

/**
 * Secrets Manager `GetSecretValue` over its JSON protocol, signed with the Lambda's own
 * credentials (aws4fetch; no extra SDK client in the bundle). `SECRETS_MANAGER_ENDPOINT`
 * overrides the regional endpoint (tests).
 */
async function readSecret(arn: string, env: NodeJS.ProcessEnv): Promise<SigningKeys> {
  const region = env.AWS_REGION ?? arn.split(":")[3] ?? "eu-west-1";
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error("AWS credentials are not available to read the secret");
  const aws = new AwsClient({
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    service: "secretsmanager",
    region,
    retries: 2,
  });
  const endpoint = env.SECRETS_MANAGER_ENDPOINT ?? `https://secretsmanager.${region}.amazonaws.com`;
  const res = await aws.fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "secretsmanager.GetSecretValue" },
    body: JSON.stringify({ SecretId: arn }),
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) throw new Error(`GetSecretValue failed with HTTP ${res.status}`);
  const out = (await res.json()) as { SecretString?: string };
  if (!out.SecretString) throw new Error("The indexer signing secret has no SecretString");
  return secretSchema.parse(JSON.parse(out.SecretString));
}
