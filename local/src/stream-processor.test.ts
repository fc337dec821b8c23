import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient, ListStreamsCommand } from "@aws-sdk/client-dynamodb-streams";
import { newWorkspaceId } from "@questline/contracts";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DynamoDbLocal, startDynamoDbLocal } from "./dynamodb-local";
import { type StreamHandler, type StreamProcessorOptions, startStreamProcessor } from "./stream-processor";

const region = "eu-west-1";
const stateDir = mkdtempSync(join(tmpdir(), "ql-stream-"));
const credentials = { accessKeyId: "local", secretAccessKey: "local" };
let dynamo: DynamoDbLocal;
let db: DynamoDBClient;
let streams: DynamoDBStreamsClient;

// Its own in-memory DynamoDB Local: the tables below live and die with this file.
beforeAll(async () => {
  dynamo = await startDynamoDbLocal();
  db = new DynamoDBClient({ region, endpoint: dynamo.endpoint, credentials });
  streams = new DynamoDBStreamsClient({ region, endpoint: dynamo.endpoint, credentials });
});
afterAll(async () => {
  db?.destroy();
  streams?.destroy();
  await dynamo?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

/** A table shaped like the core's main table where streams care: pk/sk keys, both images. */
async function freshTable(): Promise<string> {
  const name = `stream-test-${newWorkspaceId()}`;
  await db.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
  return name;
}

async function putItems(
  table: string,
  count: number,
  extra: (i: number) => Record<string, { S: string }> = () => ({}),
) {
  for (let i = 0; i < count; i++) {
    await db.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          pk: { S: "WS#test" },
          sk: { S: `ITEM#${String(i).padStart(3, "0")}` },
          n: { S: String(i) },
          ...extra(i),
        },
      }),
    );
  }
}

const seqOf = (r: DynamoDBRecord) => BigInt(r.dynamodb?.SequenceNumber ?? "0");
const nOf = (r: DynamoDBRecord) => r.dynamodb?.NewImage?.n?.S;
const isPoison = (r: DynamoDBRecord) => r.dynamodb?.NewImage?.poison?.S === "yes";

function recorder(decide: (event: DynamoDBStreamEvent, call: number) => Awaited<ReturnType<StreamHandler>> = () => {}) {
  const batches: DynamoDBRecord[][] = [];
  const handler: StreamHandler = async (event) => {
    batches.push(event.Records);
    return decide(event, batches.length);
  };
  return { batches, handler };
}

function start(table: string, handler: StreamHandler, options: Partial<StreamProcessorOptions> = {}) {
  return startStreamProcessor({
    tableName: table,
    handler,
    client: streams,
    pollIntervalMs: 20,
    retryDelayMs: 1,
    ...options,
  });
}

describe("local DynamoDB stream event source mapping", () => {
  it("keeps empty maps and lists in images exactly as Lambda delivers them", async () => {
    const table = await freshTable();
    await db.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          pk: { S: "WS#test" },
          sk: { S: "ITEM#empty" },
          emptyMap: { M: {} },
          emptyList: { L: [] },
          nested: { M: { inner: { M: {} }, list: { L: [{ M: {} }] } } },
        },
      }),
    );
    const { batches, handler } = recorder();
    const processor = start(table, handler);
    await processor.drain();
    const image = batches.flat()[0]?.dynamodb?.NewImage;
    expect(image?.emptyMap).toEqual({ M: {} });
    expect(image?.emptyList).toEqual({ L: [] });
    expect(image?.nested).toEqual({ M: { inner: { M: {} }, list: { L: [{ M: {} }] } } });
  });

  it("delivers records in Lambda's event shape, in order, in batches of at most batchSize", async () => {
    const table = await freshTable();
    await putItems(table, 25);
    await db.send(
      new PutItemCommand({
        TableName: table,
        Item: { pk: { S: "WS#test" }, sk: { S: "ITEM#000" }, n: { S: "changed" } },
      }),
    );
    await db.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: "WS#test" }, sk: { S: "ITEM#001" } } }));
    const { batches, handler } = recorder();
    const processor = start(table, handler, { batchSize: 10 });
    await processor.drain();

    expect(batches.map((b) => b.length)).toEqual([10, 10, 7]);
    const all = batches.flat();
    expect(all.slice(0, 25).map(nOf)).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
    for (let i = 1; i < all.length; i++) expect(seqOf(all[i]!) > seqOf(all[i - 1]!)).toBe(true);

    const { Streams } = await streams.send(new ListStreamsCommand({ TableName: table }));
    const first = all[0]!;
    expect(first).toMatchObject({
      eventName: "INSERT",
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: region,
      eventSourceARN: Streams?.[0]?.StreamArn,
      dynamodb: {
        Keys: { pk: { S: "WS#test" }, sk: { S: "ITEM#000" } },
        NewImage: { pk: { S: "WS#test" }, sk: { S: "ITEM#000" }, n: { S: "0" } },
        StreamViewType: "NEW_AND_OLD_IMAGES",
        SequenceNumber: expect.any(String),
        SizeBytes: expect.any(Number),
      },
    });
    expect(first.eventID).toEqual(expect.any(String));
    const created = first.dynamodb?.ApproximateCreationDateTime ?? 0;
    expect(Number.isInteger(created)).toBe(true);
    expect(String(created)).toHaveLength(10); // epoch seconds, not milliseconds or a Date
    expect(all[25]).toMatchObject({
      eventName: "MODIFY",
      dynamodb: { OldImage: { n: { S: "0" } }, NewImage: { n: { S: "changed" } } },
    });
    expect(all[26]).toMatchObject({ eventName: "REMOVE", dynamodb: { OldImage: { n: { S: "1" } } } });
    expect(all[26]?.dynamodb?.NewImage).toBeUndefined();
  });

  it("bisects a failing batch so a poison record goes to the on-failure destination and the others proceed", async () => {
    const table = await freshTable();
    await putItems(table, 10, (i): Record<string, { S: string }> => (i === 6 ? { poison: { S: "yes" } } : {}));
    const dlqFile = join(stateDir, "bisect-dlq.jsonl");
    const { batches, handler } = recorder((event) => {
      if (event.Records.some(isPoison)) throw new Error("cannot handle poison");
    });
    const processor = start(table, handler, {
      batchSize: 10,
      maxRetries: 2,
      bisectBatchOnFunctionError: true,
      dlqFile,
    });
    await processor.drain();

    const succeeded = batches
      .filter((b) => !b.some(isPoison))
      .flat()
      .map(nOf);
    expect(succeeded).toEqual(["0", "1", "2", "3", "4", "5", "7", "8", "9"]);
    expect(processor.deadLetters).toHaveLength(1);
    const letter = processor.deadLetters[0]!;
    expect(letter.records.map(nOf)).toEqual(["6"]);
    expect(letter.DDBStreamBatchInfo.batchSize).toBe(1);
    expect(letter.requestContext).toMatchObject({ condition: "RetryAttemptsExhausted", approximateInvokeCount: 3 });
    // The isolated poison record is tried once plus maxRetries times, then the shard moves on.
    expect(batches.filter((b) => b.length === 1 && isPoison(b[0]!))).toHaveLength(3);
    const lines = readFileSync(dlqFile, "utf8").trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).DDBStreamBatchInfo.startSequenceNumber).toBe(
      letter.records[0]?.dynamodb?.SequenceNumber,
    );
  });

  it("resumes from the sequence number reported in batchItemFailures", async () => {
    const table = await freshTable();
    await putItems(table, 6);
    const { batches, handler } = recorder((event, call) =>
      call === 1
        ? {
            batchItemFailures: [
              { itemIdentifier: event.Records[4]!.dynamodb!.SequenceNumber! },
              { itemIdentifier: event.Records[3]!.dynamodb!.SequenceNumber! },
            ],
          }
        : { batchItemFailures: [] },
    );
    const processor = start(table, handler, { batchSize: 10, bisectBatchOnFunctionError: false });
    await processor.drain();

    expect(batches.map((b) => b.map(nOf))).toEqual([
      ["0", "1", "2", "3", "4", "5"],
      ["3", "4", "5"],
    ]);
    expect(processor.deadLetters).toHaveLength(0);
  });

  it("treats an empty or unknown itemIdentifier as a failure of the whole batch", async () => {
    const table = await freshTable();
    await putItems(table, 3);
    const { batches, handler } = recorder((_event, call) =>
      call === 1
        ? { batchItemFailures: [{ itemIdentifier: "" }] }
        : call === 2
          ? { batchItemFailures: [{ itemIdentifier: "999" }] }
          : undefined,
    );
    const processor = start(table, handler, { bisectBatchOnFunctionError: false });
    await processor.drain();
    expect(batches.map((b) => b.map(nOf))).toEqual([
      ["0", "1", "2"],
      ["0", "1", "2"],
      ["0", "1", "2"],
    ]);
  });

  it("bounds retries without bisect, dead-letters the batch and moves on to later records", async () => {
    const table = await freshTable();
    await putItems(table, 3);
    let healthy = false;
    const { batches, handler } = recorder(() => {
      if (!healthy) throw new Error("down");
    });
    const processor = start(table, handler, { maxRetries: 2, bisectBatchOnFunctionError: false });
    await processor.idle();
    expect(batches).toHaveLength(3);
    expect(processor.deadLetters.map((l) => l.records.map(nOf))).toEqual([["0", "1", "2"]]);

    healthy = true;
    await db.send(
      new PutItemCommand({ TableName: table, Item: { pk: { S: "WS#test" }, sk: { S: "LATER" }, n: { S: "later" } } }),
    );
    await processor.drain();
    expect(batches.at(-1)?.map(nOf)).toEqual(["later"]);
    expect(processor.stats).toMatchObject({ invocations: 4, delivered: 1, deadLettered: 3 });
  });

  it("keeps its checkpoint across a restart and does not re-deliver acknowledged records", async () => {
    const table = await freshTable();
    const checkpointFile = join(stateDir, `checkpoints-${table}.json`);
    await putItems(table, 5);
    const first = recorder();
    await start(table, first.handler, { checkpointFile }).drain();
    expect(first.batches.flat().map(nOf)).toEqual(["0", "1", "2", "3", "4"]);

    for (const n of ["5", "6", "7"]) {
      await db.send(
        new PutItemCommand({ TableName: table, Item: { pk: { S: "WS#test" }, sk: { S: `NEW#${n}` }, n: { S: n } } }),
      );
    }
    const second = recorder();
    await start(table, second.handler, { checkpointFile }).drain();
    expect(second.batches.flat().map(nOf)).toEqual(["5", "6", "7"]);
  });

  it("waits up to the batching window to fill a batch", async () => {
    const table = await freshTable();
    const { batches, handler } = recorder();
    const processor = start(table, handler, { batchSize: 4, maxBatchingWindowMs: 60_000 });
    await putItems(table, 4);
    await processor.drain();
    expect(batches.map((b) => b.map(nOf))).toEqual([["0", "1", "2", "3"]]);
  });
});
