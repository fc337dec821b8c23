import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { type CatalogItemType, newWorkspaceId } from "@questline/contracts";
import { type StreamProcessor, type StreamProcessorOptions, startStreamProcessor } from "@questline/local";
import { dynamoClient } from "../../src/db/client";
import { mainTableDefinition } from "../../src/db/table-definition";
import { handler } from "../../src/handlers/stream";
import { createRecord, deleteRecord, updateRecord } from "../../src/records/store";
import { IndexerApi } from "../../src/sync-tools/indexer-api";
import { type Difference, reconcileWorkspace, repairDifferences } from "../../src/sync-tools/reconcile";
import { type FaultProxy, startFaultProxy } from "./fault-proxy";
import { INDEXER_TEST_KEYS, type IndexerInstance, startIndexer } from "./indexer-harness";

/**
 * The whole sync path on one machine: DynamoDB Local (a fresh table of this rig) → the local
 * stream processor (Lambda's event source mapping semantics) → the real stream handler →
 * a fault-injecting proxy → workers/indexer in workerd with local D1. The sync tools
 * (reconcile, reindex) talk to the indexer directly, past the proxy.
 */
export interface SyncRig {
  indexer: IndexerInstance;
  proxy: FaultProxy;
  readonly processor: StreamProcessor;
  /** Stops the event source mapping (its checkpoint survives) and starts it again after `whileStopped`. */
  pauseProcessor(whileStopped: () => Promise<void>, overrides?: Partial<StreamProcessorOptions>): Promise<void>;
  /** Direct (fault-free) signed access to the indexer, as the CLI tools use it. */
  api: IndexerApi;
  table: string;
  /** Waits until the processor has delivered (or dead-lettered) everything written so far. */
  settle(timeoutMs?: number): Promise<void>;
  reconcile(workspaceId: string): Promise<Difference[]>;
  repair(workspaceId: string): Promise<void>;
  close(): Promise<void>;
}

/** Environment the rig sets for the stream handler and the db client; restored by `close()`. */
const ENV_KEYS = [
  "TABLE_NAME",
  "INDEXER_URL",
  "INDEXER_ACCESS_KEY_ID",
  "INDEXER_SECRET_ACCESS_KEY",
  "INDEXER_TIMEOUT_MS",
] as const;

export async function startSyncRig(processorOptions: Partial<StreamProcessorOptions> = {}): Promise<SyncRig> {
  const table = `sync-faults-${newWorkspaceId()}`;
  const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  await dynamoClient().send(new CreateTableCommand(mainTableDefinition(table)));
  process.env.TABLE_NAME = table;
  const indexer = await startIndexer();
  const proxy = await startFaultProxy(indexer, INDEXER_TEST_KEYS);
  // The stream handler reads these on its first invocation (module-scope client).
  process.env.INDEXER_URL = proxy.url;
  process.env.INDEXER_ACCESS_KEY_ID = INDEXER_TEST_KEYS.accessKeyId;
  process.env.INDEXER_SECRET_ACCESS_KEY = INDEXER_TEST_KEYS.secretAccessKey;
  process.env.INDEXER_TIMEOUT_MS = "20000";
  const stateDir = mkdtempSync(join(tmpdir(), "ql-sync-faults-"));
  const startProcessor = (overrides: Partial<StreamProcessorOptions> = {}) =>
    startStreamProcessor({
      tableName: table,
      handler,
      batchSize: 100,
      maxRetries: 8,
      retryDelayMs: 20,
      pollIntervalMs: 50,
      checkpointFile: join(stateDir, "checkpoints.json"),
      ...processorOptions,
      ...overrides,
    });
  let processor = startProcessor();
  const api = new IndexerApi({ url: indexer.url, ...INDEXER_TEST_KEYS });
  return {
    indexer,
    proxy,
    get processor() {
      return processor;
    },
    async pauseProcessor(whileStopped, overrides) {
      await processor.stop();
      await whileStopped();
      processor = startProcessor(overrides);
    },
    api,
    table,
    settle: (timeoutMs = 120_000) => processor.idle(timeoutMs),
    async reconcile(workspaceId) {
      return (await reconcileWorkspace({ workspaceId, indexer: api, totalSegments: 2 })).differences;
    },
    async repair(workspaceId) {
      await repairDifferences(await reconcileWorkspace({ workspaceId, indexer: api, totalSegments: 2 }), api);
    },
    async close() {
      await processor.stop();
      await proxy.close();
      await indexer.close();
      rmSync(stateDir, { recursive: true, force: true });
      for (const [key, value] of Object.entries(savedEnv)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await dynamoClient()
        .send(new DeleteTableCommand({ TableName: table }))
        .catch(() => {});
    },
  };
}

/** Content writes through the core's versioned persistence (what the API's handlers do). */
export function catalogWriter(workspaceId: string, itemType: CatalogItemType = "quiz") {
  const ref = (id: string) => ({ workspaceId, kind: itemType, id });
  const content = (title: string, tags: string[] = []) => ({
    data: { title },
    catalog: { state: "PUBLISHED" as const, defaultLang: "en", texts: [{ lang: "en", title }], tags },
  });
  return {
    create: (id: string, title: string, tags?: string[]) => createRecord(ref(id), content(title, tags)),
    update: (id: string, title: string, tags?: string[]) => updateRecord(ref(id), () => content(title, tags)),
    remove: (id: string) => deleteRecord(ref(id)),
  };
}
