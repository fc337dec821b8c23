import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  LOCAL_MEDIA_CREDENTIALS,
  LOCAL_PRINCIPAL_NAMES,
  localPrincipalArn,
  startDynamoDbLocal,
  startRedisServer,
} from "@questline/local";
import type { TestProject } from "vitest/node";
import { ensureTables } from "../src/db/table-definition";

/**
 * One DynamoDB Local (in memory) and one redis-server for the whole aws-core test run, on
 * free ports. Tests isolate themselves by using fresh workspace ids (tenant isolation is
 * by construction), so they can share the stores and run in parallel.
 */
export default async function setup(project: TestProject) {
  const [dynamo, redis] = await Promise.all([startDynamoDbLocal(), startRedisServer()]);
  const env = {
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    TABLE_NAME: "questline-test",
    IDEMPOTENCY_TABLE_NAME: "questline-test-idempotency",
    REDIS_URL: redis.url,
    WEBHOOKS_ENABLED: "true",
    POWERTOOLS_LOG_LEVEL: "SILENT",
    // Media records answer their delivery URL on the media host.
    MEDIA_PUBLIC_URL: "https://media.questline.test",
    LOG_LEVEL: "SILENT",
    // The media worker's local principal: the only caller that may write media records.
    MEDIA_WRITER_ARNS: localPrincipalArn(LOCAL_PRINCIPAL_NAMES[LOCAL_MEDIA_CREDENTIALS.accessKeyId] ?? ""),
  };
  Object.assign(process.env, env);
  const client = new DynamoDBClient({ region: env.AWS_REGION, endpoint: dynamo.endpoint });
  await ensureTables(client, { table: env.TABLE_NAME, idempotencyTable: env.IDEMPOTENCY_TABLE_NAME });
  client.destroy();
  project.provide("awsCoreEnv", env);
  return async () => {
    await Promise.all([dynamo.stop(), redis.stop()]);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    awsCoreEnv: Record<string, string>;
  }
}
