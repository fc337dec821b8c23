import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { verifySigV4 } from "@questline/contracts/sigv4";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { defineProject } from "vitest/config";

/*
 * Tests run in workerd against local D1 with the real migrations. Outbound fetches from
 * the worker are answered here, in Node, by stand-ins for what is outside the system:
 * - https://issuer.test/jwks.json: the Cognito JWKS (keys controllable from tests),
 * - https://core.test/*: the AWS core; it verifies the SigV4 signature with the contracts'
 *   verifier and echoes what it received,
 * - https://control.test/*: lets a test swap JWKS keys, make the JWKS fail, read counters
 *   (JWKS fetches, calls that reached the core).
 * The stand-ins' state lives in this Node process and is shared by every test file, so test
 * files run one after another: the JWKS and core counters then only move for the file that
 * reads them.
 * The worker's code path is the production one; only JWKS_URL and CORE_URL differ.
 */
const root = path.resolve(import.meta.dirname, "../..");
const migrations = await readD1Migrations(path.join(root, "drizzle/migrations"));
const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
const signingJwk = { ...(await exportJWK(privateKey)), kid: "test-key-1", alg: "RS256" };
const defaultPublicJwk: JWK = { ...(await exportJWK(publicKey)), kid: "test-key-1", alg: "RS256", use: "sig" };

const AWS_KEY = { id: "AKIDEDGETEST", secret: "edge-test-secret-key" };
const jwks = { keys: [defaultPublicJwk] as JWK[], failing: false, fetches: 0 };
/** Requests that reached the core stand-in (a rejected token must never get this far). */
const coreCalls = { count: 0 };

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });

async function issuer(): Promise<Response> {
  jwks.fetches++;
  if (jwks.failing) return new Response("unavailable", { status: 503 });
  return json({ keys: jwks.keys });
}

async function control(request: Request, url: URL): Promise<Response> {
  if (url.pathname === "/jwks" && request.method === "PUT") {
    jwks.keys = ((await request.json()) as { keys: JWK[] }).keys;
  } else if (url.pathname === "/jwks/reset") {
    jwks.keys = [defaultPublicJwk];
    jwks.failing = false;
  } else if (url.pathname === "/jwks/failing") {
    jwks.failing = url.searchParams.get("on") === "1";
  }
  return json({
    fetches: jwks.fetches,
    failing: jwks.failing,
    kids: jwks.keys.map((k) => k.kid),
    coreCalls: coreCalls.count,
  });
}

async function core(request: Request, url: URL): Promise<Response> {
  coreCalls.count++;
  const body = request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
  const signature = await verifySigV4({
    method: request.method,
    url: request.url,
    headers: request.headers,
    body,
    service: "execute-api",
    region: "eu-west-1",
    lookupSecret: (id) => (id === AWS_KEY.id ? AWS_KEY.secret : undefined),
  });
  if (!signature.ok) return json({ message: `unsigned: ${signature.reason}` }, 403);
  // Failures of the core and of its gateway, as they reach the edge.
  const fail = /\/__fail\/([a-z0-9-]+)$/.exec(url.pathname)?.[1];
  if (fail === "500") {
    return json({ error: { code: "internal.error", message: "Internal server error", requestId: "core" } }, 500);
  }
  if (fail === "500-plain") return new Response("boom", { status: 500 });
  if (fail === "503") {
    return new Response(
      JSON.stringify({ error: { code: "upstream.unavailable", message: "The wallet is busy; retry", requestId: "c" } }),
      { status: 503, headers: { "content-type": "application/json", "retry-after": "7" } },
    );
  }
  if (fail === "429") {
    return new Response(JSON.stringify({ message: "Too Many Requests" }), {
      status: 429,
      headers: { "content-type": "application/json", "retry-after": "11" },
    });
  }
  if (fail === "502") return json({ message: "Internal server error" }, 502);
  if (fail === "504") return json({ message: "Endpoint request timed out" }, 504);
  if (fail === "not-json") {
    return new Response("<html>oops</html>", { status: 200, headers: { "content-type": "application/json" } });
  }
  if (fail === "truncated") {
    return new Response('{"items":[{"id":', { status: 200, headers: { "content-type": "application/json" } });
  }
  if (fail === "400-no-model") return json({ message: "Forbidden" }, 403);
  if (fail === "redirect") return new Response(null, { status: 302, headers: { location: "https://elsewhere.test/" } });
  if (fail === "slow-body") {
    // Headers at once, the body after the edge's timeout.
    const stream = new ReadableStream({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('{"items":'));
        await new Promise((resolve) => setTimeout(resolve, 1500));
        controller.enqueue(new TextEncoder().encode("[]}"));
        controller.close();
      },
    });
    return new Response(stream, { status: 200, headers: { "content-type": "application/json" } });
  }
  if (fail === "text") return new Response("a,b\n1,2\n", { status: 200, headers: { "content-type": "text/csv" } });
  if (fail === "slow") await new Promise((resolve) => setTimeout(resolve, 1500));
  if (url.pathname.endsWith("/__replay")) {
    // A replayed idempotent write: the core marks it with headers the client must see.
    return new Response(JSON.stringify({ replayed: true }), {
      status: 201,
      headers: { "content-type": "application/json", "x-idempotent-replay": "true", "x-activity-log-replayed": "true" },
    });
  }
  if (url.pathname === "/app/flags" || url.pathname === "/dashboard/flags") {
    // The core's evaluated flags; `?maxAge=` sets the cache time it reports.
    return json({
      workspaceId: request.headers.get("x-ql-workspace-id"),
      flags: { "workspace-policies": true },
      maxAgeSeconds: Number(url.searchParams.get("maxAge") ?? "30"),
    });
  }
  if (fail === "404") {
    return json({ error: { code: "resource.not_found", message: "Not found", requestId: "core" } }, 404);
  }
  return json(
    {
      method: request.method,
      path: url.pathname,
      search: url.search,
      headers: Object.fromEntries(request.headers),
      body: body ? new TextDecoder().decode(body) : null,
    },
    request.method === "POST" ? 201 : 200,
  );
}

export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: path.join(root, "wrangler.toml") },
      // workerd's internal diagnostics (e.g. on reset()) off the console; test logs: silent "passed-only".
      verbose: false,
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: migrations,
          TEST_SIGNING_JWK: JSON.stringify(signingJwk),
          CONTRACT_AUDIT: process.env.CONTRACT_AUDIT ?? "",
          JWKS_URL: "https://issuer.test/jwks.json",
          JWKS_REFRESH_COOLDOWN_SECONDS: "30",
          CORE_URL: "https://core.test",
          CORE_TIMEOUT_MS: "500",
          AWS_ACCESS_KEY_ID: AWS_KEY.id,
          AWS_SECRET_ACCESS_KEY: AWS_KEY.secret,
          CATALOG_CACHE_TTL_SECONDS: "30",
          RATE_LIMIT_PERIOD_SECONDS: "60",
        },
        ratelimits: {
          // The address budget out of the way of the suite (all of it comes from no address); the
          // flood tests swap in TEST_TIGHT_RATE_LIMITER, the same binding kind with a low limit.
          CLIENT_RATE_LIMITER: { namespace_id: "1003", simple: { limit: 1000000, period: 60 } },
          TEST_TIGHT_RATE_LIMITER: { namespace_id: "1999", simple: { limit: 10, period: 60 } },
          WORKSPACE_RATE_LIMITER: { namespace_id: "1001", simple: { limit: 100000, period: 60 } },
          USER_RATE_LIMITER: { namespace_id: "1002", simple: { limit: 40, period: 60 } },
        },
        outboundService: async (request: Request) => {
          const url = new URL(request.url);
          if (url.host === "issuer.test") return issuer();
          if (url.host === "control.test") return control(request, url);
          if (url.host === "core.test") return core(request, url);
          return new Response("no such host in tests", { status: 502 });
        },
      },
    }),
  ],
  test: {
    name: "worker-api",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    setupFiles: ["./test/support/setup.ts"],
    fileParallelism: false,
  },
});
