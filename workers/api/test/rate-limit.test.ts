import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { contractFetch } from "@questline/contract-testing/suite";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { appToken, call, control } from "./support/helpers";

/**
 * The worker with its address budget swapped for TEST_TIGHT_RATE_LIMITER (a Workers rate
 * limiter of 10 requests a minute, vitest.config.ts): a deployment with a low limit. Answers
 * are contract-checked like every other call of the suite.
 */
const app = createApp();
const tight = contractFetch(
  async (request: Request) =>
    app.fetch(request, { ...env, CLIENT_RATE_LIMITER: env.TEST_TIGHT_RATE_LIMITER }, createExecutionContext()),
  { audit: env.CONTRACT_AUDIT === "1" },
);
const LIMIT = 10;

function from(address: string, path: string, token?: string): Promise<Response> {
  const headers: Record<string, string> = { "cf-connecting-ip": address };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return tight(new Request(`https://api.test${path}`, { headers }));
}

/** A fresh address per test run (the limiter's window outlives a test). */
const randomGroup = () => Math.floor(Math.random() * 0xffff).toString(16);

describe("rate limits", () => {
  it("answers 429 with Retry-After once a user's budget is spent", async () => {
    const token = await appToken({ userId: "hammering-user" });
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await call("/app/whoami", { token })).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    const limited = await call("/app/whoami", { token });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    // Another user of the same workspace is not affected.
    expect((await call("/app/whoami", { token: await appToken() })).status).toBe(200);
  });

  it("limits by client address before authentication: a flood of bad tokens gets 429, another address 401", async () => {
    const flooder = `198.51.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;
    const { coreCalls } = await control("/state");
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await from(flooder, "/app/whoami", `forged.${i}.token`)).status);
    expect(statuses).toEqual(Array(LIMIT).fill(401));

    for (const [path, token] of [
      ["/app/whoami", "forged.token.again"],
      ["/app/whoami", undefined],
      ["/dashboard/learning-paths", "forged.token.again"],
      ["/app/users/me/missions", await appToken()],
    ] as const) {
      const limited = await from(flooder, path, token);
      expect(limited.status, path).toBe(429);
      expect(limited.headers.get("retry-after"), path).toBe("60");
      expect(await limited.json(), path).toMatchObject({
        error: { code: "request.rate_limited", message: "Too many requests; retry later" },
      });
    }
    // Another address is still answered on the merits: 401 for a bad token, 200 for a good one.
    const other = `192.0.2.${Math.floor(Math.random() * 256)}`;
    const rejected = await from(other, "/app/whoami", "forged.token");
    expect(rejected.status).toBe(401);
    expect(((await rejected.json()) as { error: { code: string } }).error.code).toBe("auth.invalid_token");
    expect((await from(other, "/app/whoami", await appToken())).status).toBe(200);
    // The limited requests, the valid token's on a forwarded path included, never reached the core.
    expect((await control("/state")).coreCalls).toBe(coreCalls);
  });

  it("counts an IPv6 client by its /64: rotating the host bits does not escape the limit", async () => {
    const prefix = `2001:db8:${randomGroup()}:${randomGroup()}`;
    for (let i = 0; i < LIMIT; i++)
      expect((await from(`${prefix}::${i + 1}`, "/app/whoami", "x.y.z")).status).toBe(401);
    expect((await from(`${prefix}:ffff:1:2:3`, "/app/whoami", "x.y.z")).status).toBe(429);
    expect((await from(`2001:db8:${randomGroup()}:1::1`, "/app/whoami", "x.y.z")).status).toBe(401);
  });
});
