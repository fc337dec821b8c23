import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { newWorkspaceId } from "@questline/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeIndexer } from "../../test/support/fake-indexer";
import { indexedImage, streamEvent, streamRecord } from "../../test/support/stream-records";
import { indexerSigningKeys, resetIndexerSigningKeys } from "./credentials";
import { createIndexerClient } from "./indexer-client";
import { syncStreamBatch } from "./sync-stream-batch";

const KEYS = { accessKeyId: "AKIDINDEXERTEST", secretAccessKey: "indexer-secret-for-tests" };
const ws = newWorkspaceId();

function records(count: number, startSeq = 1000) {
  return Array.from({ length: count }, (_, i) =>
    streamRecord("INSERT", String(startSeq + i), { newImage: indexedImage(ws, `lp${i}`, 1) }),
  );
}

describe("syncStreamBatch against a signed indexer stand-in", () => {
  let indexer: Awaited<ReturnType<typeof startFakeIndexer>>;
  let sendBatch: ReturnType<typeof createIndexerClient>;

  beforeAll(async () => {
    indexer = await startFakeIndexer({ [KEYS.accessKeyId]: KEYS.secretAccessKey });
    sendBatch = createIndexerClient({ baseUrl: indexer.url, keys: async () => KEYS, timeoutMs: 2_000 });
  });
  afterAll(() => indexer.close());

  const reset = (reply?: Parameters<typeof indexer.setReply>[0]) => {
    indexer.received.length = 0;
    indexer.setReply(
      reply ??
        ((batch) => ({
          status: 200,
          body: { results: batch.operations.map((op) => ({ sequenceNumber: op.sequenceNumber, status: "applied" })) },
        })),
    );
  };

  it("sends one SigV4-signed batch with the indexed records only and reports no failures", async () => {
    reset();
    const event = streamEvent([
      streamRecord("INSERT", "1", { newImage: indexedImage(ws, "a", 1) }),
      streamRecord("INSERT", "2", { newImage: { pk: `WS#${ws}`, sk: "WALLET#u#XP", amount: 1 } }),
      streamRecord("MODIFY", "3", { oldImage: indexedImage(ws, "a", 1), newImage: indexedImage(ws, "a", 2) }),
      streamRecord("REMOVE", "4", { oldImage: indexedImage(ws, "b", 5) }),
    ]);
    const out = await syncStreamBatch(event, { sendBatch });
    expect(out).toEqual({ batchItemFailures: [] });
    expect(indexer.received).toHaveLength(1);
    const [request] = indexer.received;
    expect(request?.path).toBe("/batches");
    expect(request?.signature).toEqual({ ok: true, accessKeyId: KEYS.accessKeyId });
    expect(request?.batch.operations.map((op) => [op.op, op.sequenceNumber, op.version])).toEqual([
      ["upsert", "1", 1],
      ["upsert", "3", 2],
      ["delete", "4", 6],
    ]);
  });

  it("acknowledges a batch with nothing indexed without calling the indexer", async () => {
    reset();
    const event = streamEvent([streamRecord("INSERT", "9", { newImage: { pk: "WS#x", sk: "USER#1" } })]);
    expect(await syncStreamBatch(event, { sendBatch })).toEqual({ batchItemFailures: [] });
    expect(indexer.received).toHaveLength(0);
  });

  it("treats stale results as done", async () => {
    reset((batch) => ({
      status: 200,
      body: { results: batch.operations.map((op) => ({ sequenceNumber: op.sequenceNumber, status: "stale" })) },
    }));
    expect(await syncStreamBatch(streamEvent(records(3)), { sendBatch })).toEqual({ batchItemFailures: [] });
  });

  it("reports the earliest failing record when some operations fail", async () => {
    reset((batch) => ({
      status: 200,
      body: {
        results: batch.operations.map((op) => ({
          sequenceNumber: op.sequenceNumber,
          status: ["1003", "1001"].includes(op.sequenceNumber) ? "failed" : "applied",
          error: "d1 busy",
        })),
      },
    }));
    const out = await syncStreamBatch(streamEvent(records(5)), { sendBatch });
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: "1001" }] });
  });

  it("treats an operation missing from the indexer's answer as failed", async () => {
    reset((batch) => ({
      status: 200,
      body: {
        results: batch.operations
          .filter((op) => op.sequenceNumber !== "1002")
          .map((op) => ({ sequenceNumber: op.sequenceNumber, status: "applied" })),
      },
    }));
    const out = await syncStreamBatch(streamEvent(records(4)), { sendBatch });
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: "1002" }] });
  });

  it("reports the first record of the batch when the whole request fails", async () => {
    reset(() => ({ status: 503, body: { error: "unavailable" } }));
    const event = streamEvent([
      streamRecord("INSERT", "500", { newImage: { pk: "WS#x", sk: "USER#1" } }),
      ...records(3, 501),
    ]);
    expect(await syncStreamBatch(event, { sendBatch })).toEqual({ batchItemFailures: [{ itemIdentifier: "500" }] });
  });

  it("fails the batch when signed with an unknown key (indexer answers 401)", async () => {
    reset();
    const wrongKeys = createIndexerClient({
      baseUrl: indexer.url,
      keys: async () => ({ accessKeyId: "AKIDUNKNOWN", secretAccessKey: "nope" }),
    });
    const out = await syncStreamBatch(streamEvent(records(2)), { sendBatch: wrongKeys });
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: "1000" }] });
    expect(indexer.received[0]?.signature).toEqual({ ok: false, reason: "unknown_key" });
  });

  it("fails the batch when the indexer does not answer in time", async () => {
    reset(() => "hang");
    const impatient = createIndexerClient({ baseUrl: indexer.url, keys: async () => KEYS, timeoutMs: 200 });
    const out = await syncStreamBatch(streamEvent(records(2)), { sendBatch: impatient });
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: "1000" }] });
  });

  it("chunks more than 1000 operations into several signed requests", async () => {
    reset();
    const out = await syncStreamBatch(streamEvent(records(2_001)), { sendBatch });
    expect(out).toEqual({ batchItemFailures: [] });
    expect(indexer.received.map((r) => r.batch.operations.length)).toEqual([1_000, 1_000, 1]);
    expect(indexer.received.every((r) => r.signature.ok)).toBe(true);
  });

  it("stops at a failed chunk and reports its first record", async () => {
    let calls = 0;
    reset((batch) => {
      calls += 1;
      if (calls === 2) return { status: 500, body: {} };
      return {
        status: 200,
        body: { results: batch.operations.map((op) => ({ sequenceNumber: op.sequenceNumber, status: "applied" })) },
      };
    });
    const out = await syncStreamBatch(streamEvent(records(7)), { sendBatch, chunkSize: 3 });
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: "1003" }] });
    expect(indexer.received).toHaveLength(2);
  });
});

describe("indexer signing keys", () => {
  it("reads the key pair from Secrets Manager when INDEXER_SIGNING_SECRET_ARN is set, once per container", async () => {
    const requests: { target: string | undefined; authorization: string | undefined; body: string }[] = [];
    const secretsManager = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      requests.push({
        target: req.headers["x-amz-target"] as string | undefined,
        authorization: req.headers.authorization,
        body,
      });
      res
        .writeHead(200, { "content-type": "application/x-amz-json-1.1" })
        .end(JSON.stringify({ SecretString: JSON.stringify(KEYS) }));
    });
    await new Promise<void>((resolve) => secretsManager.listen(0, "127.0.0.1", resolve));
    const { port } = secretsManager.address() as AddressInfo;
    const arn = "arn:aws:secretsmanager:eu-west-1:000000000000:secret:indexer-signing";
    const env = {
      INDEXER_SIGNING_SECRET_ARN: arn,
      SECRETS_MANAGER_ENDPOINT: `http://127.0.0.1:${port}`,
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "lambda-role-key",
      AWS_SECRET_ACCESS_KEY: "lambda-role-secret",
    };
    try {
      resetIndexerSigningKeys();
      expect(await indexerSigningKeys(env)).toEqual(KEYS);
      expect(await indexerSigningKeys(env)).toEqual(KEYS);
      expect(requests).toHaveLength(1);
      expect(requests[0]?.target).toBe("secretsmanager.GetSecretValue");
      expect(requests[0]?.authorization).toMatch(/\/eu-west-1\/secretsmanager\/aws4_request/);
      expect(JSON.parse(requests[0]?.body ?? "{}")).toEqual({ SecretId: arn });
    } finally {
      resetIndexerSigningKeys();
      secretsManager.closeAllConnections();
      await new Promise<void>((resolve) => secretsManager.close(() => resolve()));
    }
  });

  it("falls back to INDEXER_ACCESS_KEY_ID / INDEXER_SECRET_ACCESS_KEY", async () => {
    resetIndexerSigningKeys();
    const keys = await indexerSigningKeys({ INDEXER_ACCESS_KEY_ID: "a", INDEXER_SECRET_ACCESS_KEY: "b" });
    expect(keys).toEqual({ accessKeyId: "a", secretAccessKey: "b" });
    resetIndexerSigningKeys();
    await expect(indexerSigningKeys({})).rejects.toThrow(/INDEXER_SIGNING_SECRET_ARN/);
  });
});
