import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { INDEXER_SIGNING, type IndexBatch, type SigV4Result, verifySigV4 } from "@questline/contracts";

export interface ReceivedBatch {
  path: string;
  signature: SigV4Result;
  batch: IndexBatch;
}

type Reply = (batch: IndexBatch) => { status: number; body: unknown } | "hang";

/**
 * A tiny Node HTTP server standing in for workers/indexer (tests only): verifies each
 * request's SigV4 signature with the contracts verifier, records it, and answers with `reply`
 * (default: every operation applied). Listens on a free port.
 */
export async function startFakeIndexer(secrets: Record<string, string>, initialReply?: Reply) {
  const received: ReceivedBatch[] = [];
  let reply: Reply =
    initialReply ??
    ((batch) => ({
      status: 200,
      body: { results: batch.operations.map((op) => ({ sequenceNumber: op.sequenceNumber, status: "applied" })) },
    }));

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string") headers.set(name, value);
    }
    const signature = await verifySigV4({
      method: req.method ?? "GET",
      url: `http://${req.headers.host}${req.url}`,
      headers,
      body,
      service: INDEXER_SIGNING.service,
      region: INDEXER_SIGNING.region,
      lookupSecret: (id) => secrets[id],
    });
    const batch = JSON.parse(body) as IndexBatch;
    received.push({ path: req.url ?? "", signature, batch });
    if (!signature.ok) {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: signature.reason }));
      return;
    }
    const answer = reply(batch);
    if (answer === "hang") return;
    res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    setReply(next: Reply) {
      reply = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
