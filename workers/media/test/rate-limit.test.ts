import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { contractFetch } from "@questline/contract-testing/suite";
import { newWorkspaceId } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../src/env";
import { app } from "../src/index";
import { coreCalls, errorCode, putPrivatePdf, token, WS } from "./support/helpers";

/**
 * The worker with one budget swapped for TEST_TIGHT_RATE_LIMITER (a Workers rate limiter of 10
 * requests a minute, vitest.config.ts): a deployment with a low limit. Answers are
 * contract-checked like every other call of the suite.
 */
const LIMIT = 10;
function withTight(budget: "CLIENT_RATE_LIMITER" | "WORKSPACE_RATE_LIMITER" | "USER_RATE_LIMITER") {
  const bindings: Bindings = { ...env, [budget]: env.TEST_TIGHT_RATE_LIMITER };
  const fetcher = contractFetch(async (request: Request) => app.fetch(request, bindings, createExecutionContext()), {
    audit: env.CONTRACT_AUDIT === "1",
  });
  return (path: string, init: { address?: string; token?: string; method?: string } = {}) => {
    const headers: Record<string, string> = { "cf-connecting-ip": init.address ?? "203.0.113.1" };
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    return fetcher(new Request(`https://media.test${path}`, { method: init.method ?? "GET", headers }));
  };
}

const UPLOAD_URL = "/dashboard/media/upload-url?contentType=image%2Fpng&fileName=a.png&fileSize=4096&fileType=image";
const unique = () => crypto.randomUUID().slice(0, 8);
const randomByte = () => Math.floor(Math.random() * 256);

describe("rate limits", () => {
  it("limits by client address before authentication: a flood of bad tokens gets 429, another address 401", async () => {
    const call = withTight("CLIENT_RATE_LIMITER");
    const flooder = `198.51.${randomByte()}.${randomByte()}`;
    const key = await putPrivatePdf();
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) {
      statuses.push((await call(UPLOAD_URL, { address: flooder, token: `forged.${i}.token` })).status);
    }
    expect(statuses).toEqual(Array(LIMIT).fill(401));

    for (const [path, tokenValue] of [
      [UPLOAD_URL, "forged.token.again"],
      [UPLOAD_URL, undefined],
      [`/files/${key}`, "forged.token.again"],
      [`/files/${key}`, await token({ context: "app" })],
      [UPLOAD_URL, await token()],
    ] as const) {
      const limited = await call(path, { address: flooder, token: tokenValue });
      expect(limited.status, path).toBe(429);
      expect(limited.headers.get("retry-after"), path).toBe("60");
      expect(await errorCode(limited), path).toBe("request.rate_limited");
    }
    // Another address is still answered on the merits: 401 for a bad token, the file for a good one.
    const other = `192.0.2.${randomByte()}`;
    const rejected = await call(UPLOAD_URL, { address: other, token: "forged.token" });
    expect(rejected.status).toBe(401);
    expect(await errorCode(rejected)).toBe("auth.invalid_token");
    const file = await call(`/files/${key}`, { address: other, token: await token({ context: "app" }) });
    expect(file.status).toBe(200);
    expect(await file.text()).toBe("%PDF-1.7 secret");
  });

  it("a user's budget is counted after authentication: 429 once spent, another user unaffected", async () => {
    const call = withTight("USER_RATE_LIMITER");
    const hammering = await token({ userId: `hammering-${unique()}` });
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await call(UPLOAD_URL, { token: hammering })).status);
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    for (const [path, method] of [
      [UPLOAD_URL, "GET"],
      ["/dashboard/media/nonexistent", "DELETE"],
    ] as const) {
      const limited = await call(path, { token: hammering, method });
      expect(limited.status, path).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("60");
      expect(await errorCode(limited)).toBe("request.rate_limited");
    }
    expect(await coreCalls()).toEqual([]);
    expect((await call(UPLOAD_URL, { token: await token({ userId: `other-${unique()}` }) })).status).toBe(200);
  });

  it("reading a private file with a token counts against the user's budget; another user is unaffected", async () => {
    const call = withTight("USER_RATE_LIMITER");
    const key = await putPrivatePdf();
    const reader = await token({ context: "app", userId: `reader-${unique()}` });
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await call(`/files/${key}`, { token: reader })).status);
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    const limited = await call(`/files/${key}`, { token: reader });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(await errorCode(limited)).toBe("request.rate_limited");
    const other = await call(`/files/${key}`, { token: await token({ context: "app", userId: `other-${unique()}` }) });
    expect(other.status).toBe(200);
    expect(await other.text()).toBe("%PDF-1.7 secret");
  });

  it("signing URLs counts against the user's budget too", async () => {
    const call = withTight("USER_RATE_LIMITER");
    const member = await token({ context: "app", userId: `signer-${unique()}` });
    const sign = () =>
      app.fetch(
        new Request("https://media.test/media/signed-urls", {
          method: "POST",
          headers: { authorization: `Bearer ${member}`, "content-type": "application/json" },
          body: JSON.stringify({ key: `${WS}/private/abc/secret.pdf` }),
        }),
        { ...env, USER_RATE_LIMITER: env.TEST_TIGHT_RATE_LIMITER },
        createExecutionContext(),
      );
    for (let i = 0; i < LIMIT; i++) expect((await sign()).status).toBe(200);
    expect((await sign()).status).toBe(429);
    // The same user's budget is one, whatever the route.
    expect((await call(UPLOAD_URL, { token: await token({ userId: "unrelated" }) })).status).toBe(200);
  });

  it("a workspace's budget is shared by its users; another workspace is unaffected", async () => {
    const call = withTight("WORKSPACE_RATE_LIMITER");
    const workspaceId = newWorkspaceId();
    for (let i = 0; i < LIMIT; i++) {
      const user = await token({ workspaceId, userId: `user-${i}` });
      expect((await call(UPLOAD_URL, { token: user })).status).toBe(200);
    }
    const late = await call(UPLOAD_URL, { token: await token({ workspaceId, userId: "late-user" }) });
    expect(late.status).toBe(429);
    expect((await call(UPLOAD_URL, { token: await token({ workspaceId: newWorkspaceId() }) })).status).toBe(200);
  });
});
