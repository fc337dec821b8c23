import { QuestlineError } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { type CoreForwardConfig, signedForward } from "./signed-forward";

/**
 * The network between the edge and the core, stood in for by `config.fetch`: what workerd's
 * fetch does when the core cannot be reached (it throws a TypeError) cannot be produced by a
 * stand-in server. The workers' suites cover the core's answers (`workers/api/src/forward`).
 */
function network(behaviour: (attempt: number, request: Request) => Promise<Response>) {
  const seen: Request[] = [];
  const config: CoreForwardConfig = {
    url: "https://core.test",
    region: "eu-west-1",
    accessKeyId: "AKIDTEST",
    secretAccessKey: "secret",
    timeoutMs: 200,
    fetch: (async (request: Request) => {
      seen.push(request);
      return behaviour(seen.length, request);
    }) as typeof fetch,
  };
  return { config, seen };
}

const identity = { workspaceId: "wsFWDTEST1", context: "app" as const, userId: "u1", scopes: [] };
const forward = (config: CoreForwardConfig, method = "GET") =>
  signedForward({
    request: new Request("https://api.test/app/things", { method }),
    identity,
    requestId: "req-forward-test",
    config,
  });

async function failure(promise: Promise<Response>): Promise<QuestlineError> {
  const err = await promise.then(
    () => new Error("expected a failure"),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(QuestlineError);
  return err as QuestlineError;
}

const refused = () => Promise.reject(new TypeError("Network connection lost."));

describe("signedForward: the core cannot be reached", () => {
  it("an unreachable core is a 503 with Retry-After, after one retry for a GET", async () => {
    const { config, seen } = network(refused);
    const err = await failure(forward(config));
    expect(err).toMatchObject({ status: 503, code: "upstream.unavailable", headers: { "retry-after": "5" } });
    expect(seen).toHaveLength(2);
  });

  it("a POST is never retried", async () => {
    const { config, seen } = network(refused);
    expect((await failure(forward(config, "POST"))).code).toBe("upstream.unavailable");
    expect(seen).toHaveLength(1);
  });

  it("a connection failure followed by an answer is the answer", async () => {
    const { config } = network(async (attempt) => {
      if (attempt === 1) throw new TypeError("Network connection lost.");
      return Response.json({ ok: true });
    });
    const res = await forward(config);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("a core that does not answer in time is a 504 with Retry-After", async () => {
    const { config } = network(
      (_attempt, request) =>
        new Promise<Response>((_resolve, reject) => {
          request.signal.addEventListener("abort", () => reject(request.signal.reason));
        }),
    );
    const err = await failure(forward(config));
    expect(err).toMatchObject({ status: 504, code: "upstream.timeout", headers: { "retry-after": "5" } });
  });
});

describe("signedForward: the identity is part of the signature", () => {
  it("every x-ql-* identity header (and the request id) is in the SigV4 SignedHeaders", async () => {
    const { config, seen } = network(async () => Response.json({ ok: true }));
    await signedForward({
      request: new Request("https://api.test/dashboard/things", { method: "GET" }),
      identity: {
        workspaceId: "wsFWDTEST1",
        context: "dashboard",
        role: "editor",
        userId: "u1",
        accountId: "acc1",
        clientId: "client1",
        scopes: ["a", "b"],
        lang: "it",
      },
      requestId: "req-signed-test",
      config,
    });
    const request = seen[0];
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(request?.headers.get("authorization") ?? "")?.[1]?.split(";");
    const identityHeaders = [...(request?.headers.keys() ?? [])].filter((name) => name.startsWith("x-ql-"));
    expect(identityHeaders).toEqual(
      expect.arrayContaining(["x-ql-workspace-id", "x-ql-role", "x-ql-user-id", "x-ql-context", "x-ql-scopes"]),
    );
    expect(signedHeaders).toEqual(expect.arrayContaining([...identityHeaders, "x-request-id", "host", "x-amz-date"]));
  });
});
