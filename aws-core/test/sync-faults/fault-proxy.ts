import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { INDEXER_SIGNING, type IndexBatchResponse, type IndexOperation } from "@questline/contracts";
import { AwsClient } from "aws4fetch";
import type { IndexerInstance } from "./indexer-harness";

/**
 * What happens to one request on its way from the stream handler to the indexer:
 * - `forward`: delivered as is.
 * - `refuse`: the connection is cut before anything is delivered (indexer down).
 * - `drop`: not delivered; the caller gets a 503 (a lost batch).
 * - `lose-response`: delivered and applied, but the answer is lost (502): the caller re-sends.
 * - `duplicate`: delivered twice.
 * - `hold`: not delivered now (503); kept to be delivered later by `releaseHeld()` (reordering).
 * - `tamper`: the body is altered after signing (the indexer must answer 401).
 */
export type FaultAction = "forward" | "refuse" | "drop" | "lose-response" | "duplicate" | "hold" | "tamper";

export interface FaultProxy {
  url: string;
  /** Chooses the fault for each batch request (default: forward everything). */
  setPolicy(policy: (operations: IndexOperation[], requestNumber: number) => FaultAction): void;
  /** Operations for which the indexer is made to answer `failed` (poison records). */
  setPoison(isPoison: (op: IndexOperation) => boolean): void;
  /** Delivers held requests now, oldest first; returns their responses' statuses. */
  releaseHeld(): Promise<number[]>;
  /** Status codes the indexer answered, in order. */
  readonly statuses: number[];
  readonly batchSizes: number[];
  close(): Promise<void>;
}

interface CapturedRequest {
  url: string;
  headers: [string, string][];
  body: string;
}

const HOP_BY_HOP = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"]);

/** A fault-injecting HTTP proxy in front of the indexer (stands for the network and the indexer's availability). */
export async function startFaultProxy(
  indexer: IndexerInstance,
  keys: { accessKeyId: string; secretAccessKey: string },
) {
  let policy: Parameters<FaultProxy["setPolicy"]>[0] = () => "forward";
  let isPoison: Parameters<FaultProxy["setPoison"]>[0] = () => false;
  let requestNumber = 0;
  const held: CapturedRequest[] = [];
  const statuses: number[] = [];
  const batchSizes: number[] = [];
  const signer = new AwsClient({
    ...keys,
    service: INDEXER_SIGNING.service,
    region: INDEXER_SIGNING.region,
    retries: 0,
  });

  const deliver = async (captured: CapturedRequest): Promise<Response> => {
    const response = await indexer.fetch(captured.url, {
      method: "POST",
      headers: captured.headers,
      body: captured.body,
    });
    statuses.push(response.status);
    return response;
  };

  /** Delivers the batch without its poison operations (re-signed) and reports those as failed. */
  const deliverWithPoison = async (captured: CapturedRequest, operations: IndexOperation[]) => {
    const healthy = operations.filter((op) => !isPoison(op));
    const results = new Map<string, IndexBatchResponse["results"][number]>();
    if (healthy.length > 0) {
      const signed = await signer.sign(captured.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ operations: healthy }),
      });
      const response = await indexer.fetch(captured.url, {
        method: "POST",
        headers: signed.headers,
        body: await signed.text(),
      });
      statuses.push(response.status);
      if (response.status !== 200) return response;
      for (const r of (await response.json()) as IndexBatchResponse["results"]) results.set(r.sequenceNumber, r);
    }
    const merged = operations.map(
      (op) =>
        results.get(op.sequenceNumber) ?? {
          sequenceNumber: op.sequenceNumber,
          status: "failed" as const,
          error: "poison record (injected)",
        },
    );
    return Response.json({ results: merged });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500).end(`fault proxy error: ${String(err)}`);
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const captured = await capture(req);
    const operations = (JSON.parse(captured.body || "{}") as { operations?: IndexOperation[] }).operations ?? [];
    batchSizes.push(operations.length);
    const action = policy(operations, requestNumber++);
    let response: Response;
    switch (action) {
      case "refuse":
        req.socket.destroy();
        return;
      case "drop":
        response = new Response("dropped", { status: 503 });
        break;
      case "hold":
        held.push(captured);
        response = new Response("held", { status: 503 });
        break;
      case "lose-response":
        await deliver(captured);
        response = new Response("response lost", { status: 502 });
        break;
      case "duplicate":
        await deliver(captured);
        response = await deliver(captured);
        break;
      case "tamper":
        response = await deliver({ ...captured, body: captured.body.replace(/"version":(\d+)/, '"version":9$1') });
        break;
      default:
        response = operations.some((op) => isPoison(op))
          ? await deliverWithPoison(captured, operations)
          : await deliver(captured);
    }
    res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "text/plain" });
    res.end(await response.text());
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${port}`,
    setPolicy: (p) => {
      policy = p;
    },
    setPoison: (p) => {
      isPoison = p;
    },
    async releaseHeld() {
      const out: number[] = [];
      for (const captured of held.splice(0)) out.push((await deliver(captured)).status);
      return out;
    },
    statuses,
    batchSizes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return proxy;
}

async function capture(req: IncomingMessage): Promise<CapturedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = Object.entries(req.headers)
    .filter(([name]) => !HOP_BY_HOP.has(name))
    .map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")] as [string, string]);
  return { url: `http://${req.headers.host}${req.url}`, headers, body: Buffer.concat(chunks).toString("utf8") };
}
