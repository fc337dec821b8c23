import { randomUUID } from "node:crypto";
import { appendFileSync, mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname } from "node:path";
import { type EventPattern, InvalidEventPatternError, matchesPattern, validatePattern } from "./event-pattern";

/**
 * A local stand-in for an EventBridge event bus, speaking the service's JSON protocol
 * (`X-Amz-Target: AWSEvents.<Operation>`), so the core's real `@aws-sdk/client-eventbridge`
 * publishes to it by endpoint. It implements what Questline uses: `PutEvents` (entries become
 * EventBridge events: `version`, `id`, `detail-type`, `source`, `account`, `time`, `region`,
 * `resources`, `detail`), `PutRule` / `ListRules` / `DeleteRule` with event patterns
 * (`event-pattern.ts`), `TestEventPattern`, and an archive of every accepted event (in memory,
 * and appended to a JSON-lines file when given) that can be replayed to the rules.
 * Rule targets are functions (`addRule`); rules created over the API only record matches.
 */
export interface BusEvent {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
  /** Set on events delivered by a replay (as EventBridge does). */
  "replay-name"?: string;
}

export type RuleTarget = (event: BusEvent) => void | Promise<void>;

export interface LocalEventBus {
  endpoint: string;
  busName: string;
  /** Every accepted event, in order (the archive). */
  events(): BusEvent[];
  addRule(name: string, pattern: EventPattern, target: RuleTarget): void;
  /** The events a rule matched (targets or not), in order. */
  matched(ruleName: string): BusEvent[];
  /** Re-delivers archived events of the window to the matching rules; returns them. */
  replay(options: { name: string; from?: Date; to?: Date }): Promise<BusEvent[]>;
  stop(): Promise<void>;
}

export interface LocalEventBusOptions {
  port?: number;
  busName: string;
  region?: string;
  account?: string;
  /** Appends each accepted event as one JSON line. */
  archiveFile?: string;
  onLog?: (line: string) => void;
}

/** EventBridge's per-entry size limit. */
const MAX_ENTRY_BYTES = 256 * 1024;

interface Rule {
  name: string;
  pattern: EventPattern;
  target?: RuleTarget;
  matched: BusEvent[];
}

export async function startLocalEventBus(options: LocalEventBusOptions): Promise<LocalEventBus> {
  const region = options.region ?? "eu-west-1";
  const account = options.account ?? "000000000000";
  const archive: BusEvent[] = [];
  const rules = new Map<string, Rule>();
  if (options.archiveFile) mkdirSync(dirname(options.archiveFile), { recursive: true });

  const deliver = async (event: BusEvent) => {
    for (const rule of rules.values()) {
      if (!matchesPattern(event, rule.pattern)) continue;
      rule.matched.push(event);
      try {
        await rule.target?.(event);
      } catch (err) {
        options.onLog?.(`rule ${rule.name}: target failed: ${String(err)}`);
      }
    }
  };

  const putEvents = async (body: Record<string, unknown>) => {
    const entries = Array.isArray(body.Entries) ? (body.Entries as Record<string, unknown>[]) : [];
    if (entries.length < 1 || entries.length > 10)
      throw new ServiceError("ValidationException", "PutEvents takes 1 to 10 entries");
    const results: Record<string, string>[] = [];
    const accepted: BusEvent[] = [];
    for (const entry of entries) {
      const problem = entryProblem(entry, options.busName);
      if (problem) {
        results.push({ ErrorCode: problem.code, ErrorMessage: problem.message });
        continue;
      }
      const event: BusEvent = {
        version: "0",
        id: randomUUID(),
        "detail-type": String(entry.DetailType),
        source: String(entry.Source),
        account,
        time: new Date(typeof entry.Time === "number" ? entry.Time * 1000 : Date.now())
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z"),
        region,
        resources: Array.isArray(entry.Resources) ? (entry.Resources as string[]) : [],
        detail: JSON.parse(String(entry.Detail)) as Record<string, unknown>,
      };
      accepted.push(event);
      results.push({ EventId: event.id });
    }
    for (const event of accepted) {
      archive.push(event);
      if (options.archiveFile) appendFileSync(options.archiveFile, `${JSON.stringify(event)}\n`);
      await deliver(event);
    }
    return { FailedEntryCount: entries.length - accepted.length, Entries: results };
  };

  const operations: Record<string, (body: Record<string, unknown>) => Promise<unknown> | unknown> = {
    PutEvents: putEvents,
    PutRule: (body) => {
      const name = String(body.Name ?? "");
      if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(name)) throw new ServiceError("ValidationException", "invalid rule name");
      const pattern = parsePattern(body.EventPattern);
      rules.set(name, { name, pattern, target: rules.get(name)?.target, matched: rules.get(name)?.matched ?? [] });
      return { RuleArn: `arn:aws:events:${region}:${account}:rule/${options.busName}/${name}` };
    },
    DeleteRule: (body) => {
      rules.delete(String(body.Name));
      return {};
    },
    ListRules: () => ({
      Rules: [...rules.values()].map((r) => ({
        Name: r.name,
        EventPattern: JSON.stringify(r.pattern),
        State: "ENABLED",
        EventBusName: options.busName,
      })),
    }),
    TestEventPattern: (body) => {
      const pattern = parsePattern(body.EventPattern);
      let event: unknown;
      try {
        event = JSON.parse(String(body.Event));
      } catch {
        throw new ServiceError("InvalidEventPatternException", "Event is not valid JSON");
      }
      return { Result: matchesPattern(event, pattern) };
    },
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = operations[target.replace(/^AWSEvents\./, "")];
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "POST" || !target.startsWith("AWSEvents.") || !operation) {
      reply(400, { __type: "UnknownOperationException", message: `unsupported operation ${target}` });
      return;
    }
    try {
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
      reply(200, await operation(body));
    } catch (err) {
      if (err instanceof ServiceError) reply(400, { __type: err.code, message: err.message });
      else reply(500, { __type: "InternalException", message: String(err) });
    }
  }
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, "127.0.0.1", () => ok());
  });
  const { port } = server.address() as AddressInfo;
  options.onLog?.(`event bus ${options.busName} on http://127.0.0.1:${port}`);

  return {
    endpoint: `http://127.0.0.1:${port}`,
    busName: options.busName,
    events: () => [...archive],
    addRule(name, pattern, target) {
      validatePattern(pattern);
      rules.set(name, { name, pattern, target, matched: [] });
    },
    matched: (name) => [...(rules.get(name)?.matched ?? [])],
    async replay({ name, from, to }) {
      const window = archive.filter((e) => {
        const at = Date.parse(e.time);
        return (!from || at >= from.getTime()) && (!to || at <= to.getTime());
      });
      const replayed = window.map((e) => ({ ...e, "replay-name": name }));
      for (const event of replayed) await deliver(event);
      return replayed;
    },
    stop: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function parsePattern(text: unknown): EventPattern {
  try {
    const pattern = JSON.parse(String(text)) as EventPattern;
    validatePattern(pattern);
    return pattern;
  } catch (err) {
    throw new ServiceError(
      "InvalidEventPatternException",
      err instanceof InvalidEventPatternError ? err.message : "EventPattern is not valid JSON",
    );
  }
}

function entryProblem(entry: Record<string, unknown>, busName: string): { code: string; message: string } | null {
  const bus = entry.EventBusName;
  if (bus !== undefined && bus !== busName && !String(bus).endsWith(`:event-bus/${busName}`)) {
    return { code: "NotFoundException", message: `no event bus ${String(bus)}` };
  }
  if (typeof entry.Source !== "string" || !entry.Source)
    return { code: "InvalidArgument", message: "Source is required" };
  if (typeof entry.DetailType !== "string" || !entry.DetailType)
    return { code: "InvalidArgument", message: "DetailType is required" };
  if (typeof entry.Detail !== "string") return { code: "InvalidArgument", message: "Detail is required" };
  if (Buffer.byteLength(JSON.stringify(entry), "utf8") > MAX_ENTRY_BYTES) {
    return { code: "InvalidArgument", message: "entry exceeds 256 KB" };
  }
  try {
    const detail = JSON.parse(entry.Detail) as unknown;
    if (typeof detail !== "object" || detail === null || Array.isArray(detail)) throw new Error();
  } catch {
    return { code: "MalformedDetail", message: "Detail is not a JSON object" };
  }
  return null;
}
