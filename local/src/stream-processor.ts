import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { dirname } from "node:path";
import {
  type _Record,
  type AttributeValue,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type Shard,
  TrimmedDataAccessException,
} from "@aws-sdk/client-dynamodb-streams";
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  AttributeValue as LambdaAttributeValue,
} from "aws-lambda";
import { lambdaContext } from "./lambda-context";

export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
  // biome-ignore lint/suspicious/noConfusingVoidType: Lambda stream handlers may return nothing.
) => Promise<DynamoDBBatchResponse | undefined | void>;

export interface StreamProcessorOptions {
  tableName: string;
  /** The handler, or a loader called once before the first invocation (e.g. a dynamic import). */
  handler: StreamHandler | { load: () => Promise<StreamHandler> };
  /** A client for DynamoDB Local's streams endpoint, or its endpoint URL. */
  client?: DynamoDBStreamsClient;
  endpoint?: string;
  region?: string;
  /** BatchSize (default 100, max 10 000). */
  batchSize?: number;
  /** MaximumBatchingWindowInSeconds, in ms (default 0: invoke as soon as records are read). */
  maxBatchingWindowMs?: number;
  /** MaximumRetryAttempts (default 3). Bisecting does not consume attempts. */
  maxRetries?: number;
  /** BisectBatchOnFunctionError (default true). */
  bisectBatchOnFunctionError?: boolean;
  /** FunctionResponseTypes: ["ReportBatchItemFailures"] (default true). */
  reportBatchItemFailures?: boolean;
  /** Pause between polls when a pass found nothing (default 250 ms). */
  pollIntervalMs?: number;
  /** Pause before retrying a failed batch (default 100 ms × attempt). */
  retryDelayMs?: number;
  /** Where acknowledged sequence numbers are kept (JSON); in memory when omitted. */
  checkpointFile?: string;
  /** On-failure destination: a JSON-lines file; failures are also kept in `deadLetters`. */
  dlqFile?: string;
  /** Where a shard without checkpoint starts (default TRIM_HORIZON). */
  startingPosition?: "TRIM_HORIZON" | "LATEST";
  functionName?: string;
  onLog?: (line: string) => void;
}

/** What the on-failure destination receives (Lambda's invocation record, plus the records themselves locally). */
export interface DeadLetter {
  requestContext: { condition: "RetryAttemptsExhausted"; approximateInvokeCount: number; functionArn: string };
  timestamp: string;
  reason: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
  records: DynamoDBRecord[];
}

export interface StreamProcessor {
  /** Records that exhausted their retries, oldest first. */
  readonly deadLetters: DeadLetter[];
  readonly stats: { invocations: number; delivered: number; deadLettered: number };
  /** Resolves once a poll pass that started after the call found every shard caught up. */
  idle(timeoutMs?: number): Promise<void>;
  /** Waits for idle(), then stops. */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops polling after the batch in flight is settled (acknowledged or dead-lettered). */
  stop(): Promise<void>;
}

type Checkpoints = Record<string, Record<string, { sequenceNumber?: string; finished?: boolean }>>;

interface ShardState {
  shard: Shard;
  iterator?: string;
  /** The shard is closed and was read to its end. */
  closed: boolean;
  finished: boolean;
}

type InvokeOutcome = { ok: true } | { ok: false; failedFrom: number; reason: string };

/**
 * Stand-in for Lambda's DynamoDB event source mapping: polls DynamoDB Local's stream, shard by
 * shard in sequence order (parents before children), and invokes the handler with
 * `DynamoDBStreamEvent` batches, with Lambda's batching, retry, bisect, partial-failure and
 * on-failure-destination semantics. Delivery is at least once: a crash between an invocation
 * and its checkpoint re-delivers that batch after a restart.
 */
export function startStreamProcessor(options: StreamProcessorOptions): StreamProcessor {
  const region = options.region ?? "eu-west-1";
  const client =
    options.client ??
    new DynamoDBStreamsClient({
      region,
      endpoint: options.endpoint ?? process.env.DYNAMODB_ENDPOINT,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  const ownsClient = !options.client;
  const batchSize = Math.min(Math.max(options.batchSize ?? 100, 1), 10_000);
  const maxRetries = options.maxRetries ?? 3;
  const bisect = options.bisectBatchOnFunctionError ?? true;
  const reportFailures = options.reportBatchItemFailures ?? true;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const retryDelayMs = options.retryDelayMs ?? 100;
  const windowMs = options.maxBatchingWindowMs ?? 0;
  const functionName = options.functionName ?? "questline-stream";
  const log = options.onLog ?? (() => {});

  const checkpoints: Checkpoints = loadCheckpoints(options.checkpointFile);
  const deadLetters: DeadLetter[] = [];
  const stats = { invocations: 0, delivered: 0, deadLettered: 0 };
  const shards = new Map<string, ShardState>();
  let streamArn: string | undefined;
  let stopped = false;
  let passCounter = 0;
  const idleWaiters: { afterPass: number; resolve: () => void }[] = [];
  let wake: (() => void) | undefined;
  let handlerPromise: Promise<StreamHandler> | undefined;

  const getHandler = () => {
    const h = options.handler;
    handlerPromise ??= typeof h === "function" ? Promise.resolve(h) : h.load();
    return handlerPromise;
  };

  function saveCheckpoint(arn: string, shardId: string, update: { sequenceNumber?: string; finished?: boolean }) {
    checkpoints[arn] ??= {};
    const stream = checkpoints[arn];
    stream[shardId] = { ...stream[shardId], ...update };
    if (!options.checkpointFile) return;
    mkdirSync(dirname(options.checkpointFile), { recursive: true });
    const tmp = `${options.checkpointFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(checkpoints, null, 2));
    renameSync(tmp, options.checkpointFile);
  }

  async function refreshShards(): Promise<boolean> {
    if (!streamArn) {
      const { Streams } = await client.send(new ListStreamsCommand({ TableName: options.tableName }));
      streamArn = Streams?.[0]?.StreamArn;
      if (!streamArn) return false;
    }
    let exclusiveStart: string | undefined;
    do {
      const { StreamDescription } = await client.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStart }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || shards.has(shard.ShardId)) continue;
        const saved = checkpoints[streamArn]?.[shard.ShardId];
        shards.set(shard.ShardId, { shard, closed: false, finished: saved?.finished ?? false });
      }
      exclusiveStart = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStart);
    return true;
  }

  /** A child shard waits until its parent (if still listed) is read to its end. */
  function eligible(state: ShardState): boolean {
    if (state.finished) return false;
    const parentId = state.shard.ParentShardId;
    const parent = parentId ? shards.get(parentId) : undefined;
    return !parent || parent.finished;
  }

  async function iteratorFor(arn: string, shardId: string): Promise<string | undefined> {
    const sequenceNumber = checkpoints[arn]?.[shardId]?.sequenceNumber;
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: shardId,
        ...(sequenceNumber
          ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: sequenceNumber }
          : { ShardIteratorType: options.startingPosition ?? "TRIM_HORIZON" }),
      }),
    );
    return ShardIterator;
  }

  /** Reads up to batchSize records from a shard (waiting up to the batching window); returns [] when caught up. */
  async function readBatch(arn: string, state: ShardState): Promise<_Record[]> {
    const shardId = state.shard.ShardId!;
    const records: _Record[] = [];
    // Like Lambda, the batching window opens with the first record read.
    let deadline = Number.POSITIVE_INFINITY;
    while (!stopped) {
      state.iterator ??= await iteratorFor(arn, shardId);
      if (!state.iterator) {
        state.closed = true;
        break;
      }
      let page: { Records?: _Record[]; NextShardIterator?: string };
      try {
        page = await client.send(
          new GetRecordsCommand({ ShardIterator: state.iterator, Limit: Math.min(batchSize - records.length, 1000) }),
        );
      } catch (err) {
        if (err instanceof ExpiredIteratorException || err instanceof TrimmedDataAccessException) {
          state.iterator = undefined;
          if (records.length) break;
          continue;
        }
        throw err;
      }
      if (page.Records?.length && records.length === 0) deadline = Date.now() + windowMs;
      records.push(...(page.Records ?? []));
      state.iterator = page.NextShardIterator;
      if (!page.NextShardIterator) {
        // Closed shard read to its end: finished once this batch is settled (see pass()).
        state.closed = true;
        break;
      }
      if (records.length === 0 || records.length >= batchSize || Date.now() >= deadline) break;
      if (!page.Records?.length) await sleep(Math.min(pollIntervalMs, Math.max(0, deadline - Date.now())));
    }
    return records;
  }

  async function invoke(arn: string, batch: _Record[]): Promise<InvokeOutcome> {
    const handler = await getHandler();
    const event: DynamoDBStreamEvent = { Records: batch.map((r) => toLambdaRecord(r, arn, region)) };
    stats.invocations++;
    let response: Awaited<ReturnType<StreamHandler>>;
    try {
      response = await handler(event, lambdaContext({ functionName, region }));
    } catch (err) {
      return {
        ok: false,
        failedFrom: 0,
        reason: `function error: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
    if (!reportFailures || !response || response.batchItemFailures == null) return { ok: true };
    if (!Array.isArray(response.batchItemFailures)) return { ok: false, failedFrom: 0, reason: "invalid response" };
    if (response.batchItemFailures.length === 0) return { ok: true };
    let lowest = Number.POSITIVE_INFINITY;
    for (const failure of response.batchItemFailures) {
      const id = failure?.itemIdentifier;
      const index = typeof id === "string" && id ? batch.findIndex((r) => r.dynamodb?.SequenceNumber === id) : -1;
      if (index < 0) return { ok: false, failedFrom: 0, reason: `invalid itemIdentifier ${JSON.stringify(id)}` };
      lowest = Math.min(lowest, index);
    }
    return {
      ok: false,
      failedFrom: lowest,
      reason: `batch item failure at ${batch[lowest]?.dynamodb?.SequenceNumber}`,
    };
  }

  function acknowledge(arn: string, shardId: string, records: _Record[]) {
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last) saveCheckpoint(arn, shardId, { sequenceNumber: last });
    stats.delivered += records.length;
  }

  async function deadLetter(arn: string, shardId: string, records: _Record[], attempts: number, reason: string) {
    const first = records[0]?.dynamodb;
    const last = records.at(-1)?.dynamodb;
    const letter: DeadLetter = {
      requestContext: {
        condition: "RetryAttemptsExhausted",
        approximateInvokeCount: attempts,
        functionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
      },
      timestamp: new Date().toISOString(),
      reason,
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: first?.SequenceNumber ?? "",
        endSequenceNumber: last?.SequenceNumber ?? "",
        approximateArrivalOfFirstRecord: (first?.ApproximateCreationDateTime ?? new Date()).toISOString(),
        approximateArrivalOfLastRecord: (last?.ApproximateCreationDateTime ?? new Date()).toISOString(),
        batchSize: records.length,
        streamArn: arn,
      },
      records: records.map((r) => toLambdaRecord(r, arn, region)),
    };
    deadLetters.push(letter);
    stats.deadLettered += records.length;
    log(
      `stream: ${records.length} record(s) sent to the on-failure destination after ${attempts} attempt(s): ${reason}`,
    );
    if (options.dlqFile) {
      mkdirSync(dirname(options.dlqFile), { recursive: true });
      await appendFile(options.dlqFile, `${JSON.stringify(letter)}\n`);
    }
    const lastSeq = last?.SequenceNumber;
    if (lastSeq) saveCheckpoint(arn, shardId, { sequenceNumber: lastSeq });
  }

  /** Settles a batch: every record ends acknowledged or dead-lettered, in order. */
  async function deliver(arn: string, shardId: string, initial: _Record[], initialAttempts = 0): Promise<void> {
    let batch = initial;
    let attempts = initialAttempts;
    while (batch.length) {
      const outcome = await invoke(arn, batch);
      attempts++;
      if (outcome.ok) return acknowledge(arn, shardId, batch);
      if (outcome.failedFrom > 0) {
        acknowledge(arn, shardId, batch.slice(0, outcome.failedFrom));
        batch = batch.slice(outcome.failedFrom);
      }
      if (bisect && batch.length > 1) {
        const middle = Math.ceil(batch.length / 2);
        await deliver(arn, shardId, batch.slice(0, middle), attempts - 1);
        await deliver(arn, shardId, batch.slice(middle), attempts - 1);
        return;
      }
      if (attempts > maxRetries) return deadLetter(arn, shardId, batch, attempts, outcome.reason);
      log(`stream: retrying ${batch.length} record(s) (attempt ${attempts + 1}): ${outcome.reason}`);
      await sleep(retryDelayMs * attempts);
    }
  }

  async function pass(): Promise<boolean> {
    if (!(await refreshShards()) || !streamArn) return false;
    let found = false;
    for (const state of [...shards.values()].sort(byStartingSequence)) {
      if (stopped) break;
      if (!eligible(state)) continue;
      const records = await readBatch(streamArn, state);
      if (records.length) {
        found = true;
        await deliver(streamArn, state.shard.ShardId!, records);
      }
      if (state.closed && !stopped) {
        state.finished = true;
        saveCheckpoint(streamArn, state.shard.ShardId!, { finished: true });
      }
    }
    return found;
  }

  const loop = (async () => {
    while (!stopped) {
      const started = ++passCounter;
      let found = false;
      try {
        found = await pass();
      } catch (err) {
        log(`stream: poll failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (!found) {
        for (const waiter of idleWaiters.filter((w) => w.afterPass < started)) {
          idleWaiters.splice(idleWaiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      if (!found && !stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  })();

  async function stop() {
    stopped = true;
    wake?.();
    await loop;
    for (const waiter of idleWaiters.splice(0)) waiter.resolve();
    if (ownsClient) client.destroy();
  }

  return {
    deadLetters,
    stats,
    idle(timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`stream processor not idle within ${timeoutMs} ms`)),
          timeoutMs,
        );
        idleWaiters.push({
          afterPass: passCounter,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        wake?.();
      });
    },
    async drain(timeoutMs) {
      await this.idle(timeoutMs);
      await stop();
    },
    stop,
  };
}

/** Converts a DynamoDB Streams SDK record into the record Lambda puts in a `DynamoDBStreamEvent`. */
export function toLambdaRecord(record: _Record, streamArn: string, region: string): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  const out: DynamoDBRecord = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: region,
    dynamodb: {
      ...(d.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(d.ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
      ...(d.Keys ? { Keys: toLambdaImage(d.Keys) } : {}),
      ...(d.NewImage ? { NewImage: toLambdaImage(d.NewImage) } : {}),
      ...(d.OldImage ? { OldImage: toLambdaImage(d.OldImage) } : {}),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType,
    },
    eventSourceARN: streamArn,
  };
  if (record.userIdentity)
    out.userIdentity = { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
  return out;
}

function toLambdaImage(image: Record<string, AttributeValue>): Record<string, LambdaAttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, toLambdaValue(v)]));
}

/** Lambda events carry binary values base64-encoded, where the SDK returns Uint8Array. */
function toLambdaValue(value: AttributeValue): LambdaAttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString("base64") };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString("base64")) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  // The streams SDK client deserialises an empty map (`{"M":{}}`) to `{}` (empty lists keep
  // their `L`); Lambda delivers `{"M":{}}`, so restore it.
  if (Object.keys(value).length === 0) return { M: {} };
  return value as LambdaAttributeValue;
}

function byStartingSequence(a: ShardState, b: ShardState): number {
  const x = BigInt(a.shard.SequenceNumberRange?.StartingSequenceNumber ?? "0");
  const y = BigInt(b.shard.SequenceNumberRange?.StartingSequenceNumber ?? "0");
  return x < y ? -1 : x > y ? 1 : 0;
}

function loadCheckpoints(file: string | undefined): Checkpoints {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Checkpoints;
  } catch {
    return {};
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
