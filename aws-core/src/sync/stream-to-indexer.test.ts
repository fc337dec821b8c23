import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeIndexer } from "../../test/support/fake-indexer";
import { identityHeaders, jsonRequest } from "../../test/support/identity";
import { createApp } from "../app/create-app";
import { dynamoClient, tableName } from "../db/client";
import { createIndexerClient } from "./indexer-client";
import { syncStreamBatch } from "./sync-stream-batch";

const KEYS = { accessKeyId: "AKIDSTREAME2E", secretAccessKey: "stream-e2e-secret" };

/** Reads every record of the table's stream (all shards, from the start) for one workspace, as Lambda would deliver them. */
async function streamRecordsOf(workspaceId: string): Promise<DynamoDBRecord[]> {
  const streams = new DynamoDBStreamsClient({
    region: process.env.AWS_REGION ?? "eu-west-1",
    endpoint: process.env.DYNAMODB_ENDPOINT ?? "",
  });
  const table = await dynamoClient().send(new DescribeTableCommand({ TableName: tableName() }));
  const streamArn = table.Table?.LatestStreamArn ?? "";
  const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const found: StreamRecord[] = [];
  for (const shard of description.StreamDescription?.Shards ?? []) {
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId ?? "",
          ShardIteratorType: "TRIM_HORIZON",
        }),
      )
    ).ShardIterator;
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      const records = page.Records ?? [];
      found.push(...records.filter((r) => r.dynamodb?.Keys?.pk?.S === `WS#${workspaceId}`));
      if (records.length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  streams.destroy();
  found.sort((a, b) => (BigInt(a.dynamodb?.SequenceNumber ?? 0) < BigInt(b.dynamodb?.SequenceNumber ?? 0) ? -1 : 1));
  // Lambda's shape: epoch seconds instead of a Date, eventSourceARN filled in.
  return found.map(
    (r) =>
      ({
        ...r,
        eventSourceARN: streamArn,
        dynamodb: {
          ...r.dynamodb,
          ApproximateCreationDateTime: Math.floor((r.dynamodb?.ApproximateCreationDateTime?.getTime() ?? 0) / 1000),
        },
      }) as unknown as DynamoDBRecord,
  );
}

describe("learning path writes → DynamoDB stream → signed index batch", () => {
  let indexer: Awaited<ReturnType<typeof startFakeIndexer>>;
  beforeAll(async () => {
    indexer = await startFakeIndexer({ [KEYS.accessKeyId]: KEYS.secretAccessKey });
  });
  afterAll(() => indexer.close());

  it("indexes create, publish and delete with increasing versions", async () => {
    const app = createApp();
    const headers = identityHeaders();
    const workspaceId = headers["x-ql-workspace-id"] ?? "";
    const created = await app.request(
      "/dashboard/learning-paths",
      jsonRequest("POST", headers, {
        title: "Stream me",
        estimatedDuration: 5,
        defaultLang: "en",
        translations: [{ lang: "en", title: "Stream me" }],
      }),
    );
    const { learningPathId } = await created.json();
    const path = `/dashboard/learning-paths/${learningPathId}`;
    expect((await app.request(`${path}/publish`, { method: "POST", headers })).status).toBe(200);
    expect((await app.request(path, { method: "DELETE", headers })).status).toBe(204);

    let records: DynamoDBRecord[] = [];
    await expect
      .poll(
        async () => {
          records = await streamRecordsOf(workspaceId);
          return records.length;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBeGreaterThanOrEqual(4); // insert, modify, remove + the (ignored) tombstone

    const out = await syncStreamBatch(
      { Records: records },
      { sendBatch: createIndexerClient({ baseUrl: indexer.url, keys: async () => KEYS }) },
    );
    expect(out).toEqual({ batchItemFailures: [] });
    expect(indexer.received).toHaveLength(1);
    expect(indexer.received[0]?.signature.ok).toBe(true);
    const ops = indexer.received[0]?.batch.operations ?? [];
    expect(ops.map((op) => [op.op, op.itemId, op.version])).toEqual([
      ["upsert", learningPathId, 1],
      ["upsert", learningPathId, 2],
      ["delete", learningPathId, 3],
    ]);
    expect(ops[1]).toMatchObject({ workspaceId, itemType: "learningPath", document: { state: "PUBLISHED" } });
    expect(ops.every((op) => op.changedAt > 1_600_000_000_000)).toBe(true);
  });
});
