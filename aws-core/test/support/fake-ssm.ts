import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StoredParameter {
  name: string;
  value: string;
  type?: "String" | "StringList" | "SecureString";
}

/**
 * A Node HTTP server answering SSM's `GetParametersByPath` (JSON 1.1 protocol) from a list of
 * parameters, standing in for SSM Parameter Store (outside the system) in tests. It pages by
 * `MaxResults` (default 10, like SSM), matches the path by hierarchy level, and counts calls.
 */
export async function startFakeSsm(initial: StoredParameter[] = []) {
  let parameters = initial;
  const calls: { target: string; path: string; recursive: boolean }[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers["x-amz-target"] ?? "");
    const input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as {
      Path?: string;
      Recursive?: boolean;
      MaxResults?: number;
      NextToken?: string;
    };
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify(body));
    };
    if (target !== "AmazonSSM.GetParametersByPath") {
      return reply(400, { __type: "UnknownOperationException", message: target });
    }
    const path = (input.Path ?? "").replace(/\/$/, "");
    calls.push({ target, path, recursive: input.Recursive === true });
    const under = parameters.filter((p) => {
      if (!p.name.startsWith(`${path}/`)) return false;
      return input.Recursive === true || !p.name.slice(path.length + 1).includes("/");
    });
    const start = Number(input.NextToken ?? 0);
    const size = input.MaxResults ?? 10;
    const page = under.slice(start, start + size);
    reply(200, {
      Parameters: page.map((p) => ({ Name: p.name, Type: p.type ?? "String", Value: p.value, Version: 1 })),
      ...(start + size < under.length ? { NextToken: String(start + size) } : {}),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    set(next: StoredParameter[]) {
      parameters = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
