import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { verifySigV4 } from "@questline/contracts/sigv4";
import { Response } from "miniflare";
import { defineProject } from "vitest/config";
import { TEST_PUBLIC_JWK } from "./test/support/keys.ts";

/**
 * Outside the system, stood in for here (Node side of miniflare's outbound service):
 * - the Cognito JWKS (`JWKS_URL`) → the test key pair's public half;
 * - the AWS core (`CORE_URL`) → verifies each SigV4 signature with the shared verifier, records
 *   the call and answers like the core's media routes. Tests read the record at `/__calls`.
 */
const JWKS_URL = "https://jwks.test/pool/.well-known/jwks.json";
const CORE_URL = "http://core.test";
const calls: { method: string; path: string; signature: string; headers: Record<string, string>; body: unknown }[] = [];
const entities = new Map<string, unknown>();
let failNextCreate = false;

async function outbound(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (request.url === JWKS_URL) return Response.json({ keys: [TEST_PUBLIC_JWK] });
  if (url.origin !== CORE_URL) return new Response("unexpected outbound request", { status: 599 });
  if (url.pathname === "/__calls") return Response.json(calls);
  if (url.pathname === "/__reset") {
    calls.length = 0;
    entities.clear();
    failNextCreate = false;
    return new Response(null, { status: 204 });
  }
  if (url.pathname === "/__fail-next-create") {
    failNextCreate = true;
    return new Response(null, { status: 204 });
  }
  const raw = request.method === "GET" || request.method === "HEAD" ? null : await request.arrayBuffer();
  const verdict = await verifySigV4({
    method: request.method,
    url: request.url,
    headers: request.headers as unknown as Headers,
    body: raw,
    service: "execute-api",
    region: "eu-west-1",
    lookupSecret: (id) => (id === "AKIDMEDIATEST" ? "media-test-secret" : undefined),
  });
  const body = raw?.byteLength ? JSON.parse(new TextDecoder().decode(raw)) : null;
  calls.push({
    method: request.method,
    path: url.pathname,
    signature: verdict.ok ? "valid" : verdict.reason,
    headers: Object.fromEntries([...request.headers].filter(([name]) => name.startsWith("x-"))),
    body,
  });
  if (!verdict.ok) {
    return Response.json(
      { error: { code: "auth.bad_signature", message: verdict.reason, requestId: "core" } },
      { status: 401 },
    );
  }
  const workspaceId = request.headers.get("x-ql-workspace-id");
  if (request.method === "POST" && url.pathname === "/dashboard/media") {
    if (failNextCreate) {
      failNextCreate = false;
      return Response.json(
        { error: { code: "request.validation_failed", message: "Request body is invalid", requestId: "core" } },
        { status: 400 },
      );
    }
    const entity = { ...body, workspaceId, version: 1, createdAt: "now", updatedAt: "now" };
    entities.set(`${workspaceId}/${body.mediaId}`, entity);
    return Response.json(entity, { status: 201 });
  }
  const del = /^\/dashboard\/media\/([^/]+)$/.exec(url.pathname);
  if (request.method === "DELETE" && del) {
    const existed = entities.delete(`${workspaceId}/${del[1]}`);
    return existed
      ? Response.json({ mediaId: del[1], deleted: true })
      : Response.json(
          { error: { code: "resource.not_found", message: "Not found", requestId: "core" } },
          { status: 404 },
        );
  }
  return Response.json(
    { error: { code: "resource.not_found", message: "no such core route", requestId: "core" } },
    { status: 404 },
  );
}

export default defineProject({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      // workerd's internal diagnostics (e.g. on reset()) off the console; test logs: silent "passed-only".
      verbose: false,
      miniflare: {
        bindings: {
          JWKS_URL,
          CORE_URL,
          COGNITO_CLIENT_IDS: "dashboard-client,app-client",
          MEDIA_SIGNING_SECRET: "media-signing-test-secret",
          AWS_ACCESS_KEY_ID: "AKIDMEDIATEST",
          AWS_SECRET_ACCESS_KEY: "media-test-secret",
          R2_ACCESS_KEY_ID: "r2-test-access-key",
          R2_SECRET_ACCESS_KEY: "r2-test-secret",
          R2_ACCOUNT_ID: "0123456789abcdef0123456789abcdef",
          MAX_DIRECT_UPLOAD_BYTES: String(1024 * 1024),
          MULTIPART_PART_BYTES: String(5 * 1024 * 1024),
          CONTRACT_AUDIT: process.env.CONTRACT_AUDIT ?? "",
        },
        // Budgets out of the way of the suite; the rate-limit tests swap in TEST_TIGHT_RATE_LIMITER,
        // the same binding kind with a low limit.
        ratelimits: {
          CLIENT_RATE_LIMITER: { namespace_id: "1004", simple: { limit: 1000000, period: 60 } },
          WORKSPACE_RATE_LIMITER: { namespace_id: "1005", simple: { limit: 1000000, period: 60 } },
          USER_RATE_LIMITER: { namespace_id: "1006", simple: { limit: 1000000, period: 60 } },
          TEST_TIGHT_RATE_LIMITER: { namespace_id: "1999", simple: { limit: 10, period: 60 } },
        },
        outboundService: outbound as never,
      },
    }),
  ],
  test: {
    name: "worker-media",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    setupFiles: ["./test/support/setup.ts"],
    testTimeout: 30_000,
  },
});
