import { fileURLToPath } from "node:url";
import { createTestHarness } from "wrangler";

export const INDEXER_TEST_KEYS = {
  accessKeyId: "fault-test-indexer-key",
  secretAccessKey: "fault-test-indexer-secret",
} as const;

export interface IndexerInstance {
  /** The worker's own URL (what a signed client should target to reach it directly). */
  url: string;
  /** Dispatches a request to the worker, keeping the URL (and so the Host the client signed). */
  fetch(
    url: string,
    init?: { method: string; headers: [string, string][] | Headers; body?: string },
  ): Promise<Response>;
  /** Runs SQL against the worker's D1 (assertions only). */
  query<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * workers/indexer in workerd (wrangler's test harness), with local D1 migrated and the test
 * signing keys as secrets. Storage is in memory and dies with the instance.
 */
export async function startIndexer(): Promise<IndexerInstance> {
  const configPath = fileURLToPath(new URL("../../../workers/indexer/wrangler.toml", import.meta.url));
  const server = createTestHarness({
    workers: [
      {
        configPath,
        secrets: {
          INDEXER_ACCESS_KEY_ID: INDEXER_TEST_KEYS.accessKeyId,
          INDEXER_SECRET_ACCESS_KEY: INDEXER_TEST_KEYS.secretAccessKey,
        },
      },
    ],
  });
  const { url } = await server.listen();
  const worker = server.getWorker();
  await worker.applyD1Migrations("DB");
  const env = (await worker.getEnv()) as { DB: D1Database };
  return {
    url: url.toString().replace(/\/$/, ""),
    async fetch(url, init) {
      const headers = init?.headers instanceof Headers ? [...init.headers] : (init?.headers ?? []);
      const response = await server.fetch(url, {
        method: init?.method ?? "GET",
        headers,
        ...(init?.body !== undefined ? { body: init.body } : {}),
      });
      // Re-wrap: the harness answers with miniflare's Response class.
      return new Response(await response.text(), { status: response.status, headers: [...response.headers] });
    },
    async query<T>(sql: string, ...params: unknown[]) {
      const { results } = await env.DB.prepare(sql)
        .bind(...params)
        .all<T>();
      return results;
    },
    close: () => server.close(),
  };
}

/** Minimal D1 surface used by `query` (the harness proxies the real binding). */
interface D1Database {
  prepare(sql: string): {
    bind(...params: unknown[]): { all<T>(): Promise<{ results: T[] }> };
  };
}
