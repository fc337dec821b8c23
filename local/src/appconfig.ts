import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * AWS AppConfig's data plane (AppConfigData, REST-JSON), serving one freeform configuration from
 * a file: the stand-in behind the core's feature flags in the local stack and the tests.
 *
 * - `POST /configurationsessions` (StartConfigurationSession) → 201 `{ InitialConfigurationToken }`.
 * - `GET /configuration?configuration_token=…` (GetLatestConfiguration) → 200 with the file's
 *   bytes, `Content-Type`, `Version-Label` and a `Next-Poll-Configuration-Token`; an empty body
 *   when the session has already seen this content (as AppConfig answers while nothing changed).
 *
 * The file is read on every GetLatestConfiguration: editing it is a deployment (instant; the
 * readers' own cache decides when they see it). As in AppConfig, a token is good for one call
 * (and 24 hours): a used, unknown or expired token answers 400 BadRequestException. Unknown
 * identifiers (when `application`, `environment` or `profile` are given) answer 404
 * ResourceNotFoundException, a missing file 404.
 */
export interface LocalAppConfigOptions {
  /** The JSON (or any) file served as the configuration. */
  file: string;
  port?: number;
  /** Identifiers sessions must name; any when left out. */
  application?: string;
  environment?: string;
  profile?: string;
  contentType?: string;
  /** `Next-Poll-Interval-In-Seconds` (AppConfig's default minimum is 60). */
  pollIntervalSeconds?: number;
}

export interface LocalAppConfig {
  endpoint: string;
  port: number;
  /** Every call, in order (tests count sessions and polls). */
  calls: { operation: "StartConfigurationSession" | "GetLatestConfiguration"; served?: "content" | "unchanged" }[];
  stop(): Promise<void>;
}

const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

export async function startLocalAppConfig(options: LocalAppConfigOptions): Promise<LocalAppConfig> {
  /** token → the content hash that session has seen (undefined: nothing yet). */
  const tokens = new Map<string, { seen: string | undefined; expires: number }>();
  const calls: LocalAppConfig["calls"] = [];
  const issue = (seen: string | undefined) => {
    const token = randomUUID();
    tokens.set(token, { seen, expires: Date.now() + TOKEN_LIFETIME_MS });
    return token;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => fail(res, 500, "InternalServerException", String(err)));
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "POST" && url.pathname === "/configurationsessions") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      } catch {
        return fail(res, 400, "BadRequestException", "The request body is not JSON");
      }
      calls.push({ operation: "StartConfigurationSession" });
      const expected: [string, string | undefined][] = [
        ["ApplicationIdentifier", options.application],
        ["EnvironmentIdentifier", options.environment],
        ["ConfigurationProfileIdentifier", options.profile],
      ];
      for (const [field, want] of expected) {
        const given = input[field];
        if (typeof given !== "string" || given === "") {
          return fail(res, 400, "BadRequestException", `${field} is required`);
        }
        if (want !== undefined && given !== want) {
          return fail(res, 404, "ResourceNotFoundException", `${field} ${given} not found`);
        }
      }
      return json(res, 201, { InitialConfigurationToken: issue(undefined) });
    }
    if (req.method === "GET" && url.pathname === "/configuration") {
      const token = url.searchParams.get("configuration_token") ?? "";
      const session = tokens.get(token);
      tokens.delete(token);
      if (!session || session.expires <= Date.now()) {
        return fail(res, 400, "BadRequestException", "Invalid, used or expired configuration token");
      }
      let content: Buffer;
      try {
        content = readFileSync(options.file);
      } catch {
        return fail(res, 404, "ResourceNotFoundException", "No configuration is deployed");
      }
      const version = createHash("sha256").update(content).digest("hex").slice(0, 16);
      const unchanged = session.seen === version;
      calls.push({ operation: "GetLatestConfiguration", served: unchanged ? "unchanged" : "content" });
      res.writeHead(200, {
        "content-type": options.contentType ?? "application/json",
        "next-poll-configuration-token": issue(version),
        "next-poll-interval-in-seconds": String(options.pollIntervalSeconds ?? 60),
        "version-label": version,
      });
      return res.end(unchanged ? undefined : content);
    }
    return fail(res, 404, "UnknownOperationException", `${req.method} ${url.pathname}`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, status: number, type: string, message: string) {
  res.writeHead(status, { "content-type": "application/json", "x-amzn-errortype": type });
  res.end(JSON.stringify({ Message: message, message }));
}
