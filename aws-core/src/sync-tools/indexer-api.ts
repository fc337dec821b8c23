import {
  INDEXER_BATCH_PATH,
  INDEXER_SIGNING,
  type IndexBatchResponse,
  type IndexOperation,
  indexBatchResponseSchema,
} from "@questline/contracts";
import { AwsClient } from "aws4fetch";

/** Where the indexer is and the key pair it accepts (`INDEXER_URL`, `INDEXER_ACCESS_KEY_ID`, `INDEXER_SECRET_ACCESS_KEY`). */
export interface IndexerEndpoint {
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface InventoryEntry {
  itemType: string;
  itemId: string;
  version: number;
  deleted: boolean;
}
interface InventoryPage {
  items: InventoryEntry[];
  next: { itemType: string; itemId: string } | null;
}

/** Signed calls of the sync tools to workers/indexer (`POST /batches?source=reindex`, `POST /inventory`). */
export class IndexerApi {
  readonly #aws: AwsClient;
  readonly #base: string;

  constructor(endpoint: IndexerEndpoint) {
    this.#base = endpoint.url;
    this.#aws = new AwsClient({
      accessKeyId: endpoint.accessKeyId,
      secretAccessKey: endpoint.secretAccessKey,
      service: INDEXER_SIGNING.service,
      region: INDEXER_SIGNING.region,
      retries: 0,
    });
  }

  /** Applies operations through the same path as the stream (idempotent by version). */
  async applyBatch(
    operations: IndexOperation[],
    source: "reindex" | "repair" = "reindex",
  ): Promise<IndexBatchResponse> {
    const path = `${INDEXER_BATCH_PATH}?source=${source}`;
    const body = await this.#post(path, { operations });
    return indexBatchResponseSchema.parse(body);
  }

  /** Every index row (tombstones included) of a workspace, page by page. */
  async *inventory(workspaceId: string, pageSize = 1000): AsyncGenerator<InventoryEntry[]> {
    let after: InventoryPage["next"] = null;
    do {
      const page = (await this.#post("/inventory", {
        workspaceId,
        limit: pageSize,
        ...(after ? { after } : {}),
      })) as InventoryPage;
      yield page.items;
      after = page.next;
    } while (after);
  }

  /** Index rows of the given items (absent ones are simply not returned). */
  async lookup(workspaceId: string, items: { itemType: string; itemId: string }[]): Promise<InventoryEntry[]> {
    const found: InventoryEntry[] = [];
    for (let start = 0; start < items.length; start += 1000) {
      const page = (await this.#post("/inventory", {
        workspaceId,
        items: items.slice(start, start + 1000),
      })) as InventoryPage;
      found.push(...page.items);
    }
    return found;
  }

  async #post(path: string, payload: unknown): Promise<unknown> {
    const request = await this.#aws.sign(new URL(path, this.#base).toString(), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
    });
    const response = await fetch(request, { signal: AbortSignal.timeout(60_000) });
    const text = await response.text();
    if (!response.ok) throw new Error(`indexer ${path} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }
}

export function indexerEndpointFromEnv(env: NodeJS.ProcessEnv = process.env): IndexerEndpoint {
  const url = env.INDEXER_URL ?? "http://127.0.0.1:8789";
  const accessKeyId = env.INDEXER_ACCESS_KEY_ID;
  const secretAccessKey = env.INDEXER_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      "Set INDEXER_ACCESS_KEY_ID and INDEXER_SECRET_ACCESS_KEY (or pass --access-key-id/--secret-access-key)",
    );
  }
  return { url, accessKeyId, secretAccessKey };
}
