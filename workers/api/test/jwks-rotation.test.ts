import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { appToken, call, control, dashboardToken, publishJwks } from "./support/helpers";

/*
 * Key rotation and forged kids through the whole worker: request → auth middleware →
 * JwksCache → the issuer stand-in, whose fetch counter is the observable. The refresh
 * cooldown is the test env's JWKS_REFRESH_COOLDOWN_SECONDS (30 s); instead of waiting, the
 * tests move `Date` (only `Date`: I/O timers stay real) forward along one clock that never goes
 * back within this file, because the isolate's JwksCache outlives each test.
 */
const COOLDOWN_MS = Number(env.JWKS_REFRESH_COOLDOWN_SECONDS) * 1000;
let clock = Date.now();

function advance(ms: number): void {
  clock += ms;
  vi.setSystemTime(clock);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: clock });
});
afterEach(() => {
  clock = Date.now();
  vi.useRealTimers();
});

const signingJwk = JSON.parse(env.TEST_SIGNING_JWK) as JWK & { kid: string };
const currentPublicJwk = {
  kty: signingJwk.kty,
  n: signingJwk.n,
  e: signingJwk.e,
  kid: signingJwk.kid,
  alg: "RS256",
  use: "sig",
};

async function newSigningKey(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

const fetches = async () => (await control("/state")).fetches;

async function expectInvalid(res: Response, what: string): Promise<void> {
  expect(res.status, what).toBe(401);
  expect(((await res.json()) as { error: { code: string } }).error.code, what).toBe("auth.invalid_token");
}

describe("JWKS rotation through the worker", () => {
  it("a token signed with a newly published key is accepted after exactly one refresh", async () => {
    // Warm the isolate with the current key set, then let the last fetch age past the cooldown.
    expect((await call("/app/whoami", { token: await appToken() })).status).toBe(200);
    advance(COOLDOWN_MS + 1000);

    const next = await newSigningKey(`rotated-${crypto.randomUUID()}`);
    await publishJwks([currentPublicJwk, next.publicJwk]);
    const before = await fetches();

    // Ten concurrent first requests with the new kid share one refresh.
    const tokens = await Promise.all(
      Array.from({ length: 10 }, () => appToken({ key: next.privateKey, kid: next.kid })),
    );
    const responses = await Promise.all(tokens.map((token) => call("/app/whoami", { token })));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await fetches()).toBe(before + 1);

    // From now on both keys verify from the isolate's copy, on app and dashboard routes.
    const dashboard = await dashboardToken({ key: next.privateKey, kid: next.kid });
    expect((await call("/dashboard/learning-paths", { token: dashboard })).status).toBe(200);
    expect((await call("/app/whoami", { token: await appToken() })).status).toBe(200);
    expect(await fetches()).toBe(before + 1);
  });

  it("a key published during the cooldown is accepted once the cooldown has passed", async () => {
    expect((await call("/app/whoami", { token: await appToken() })).status).toBe(200);
    advance(COOLDOWN_MS + 1000);
    // Something spends the refresh budget (a forged kid) just before the issuer rotates.
    await expectInvalid(await call("/app/whoami", { token: await appToken({ kid: "forged-early" }) }), "forged");
    const next = await newSigningKey(`rotated-${crypto.randomUUID()}`);
    await publishJwks([currentPublicJwk, next.publicJwk]);
    const before = await fetches();

    const token = await appToken({ key: next.privateKey, kid: next.kid });
    await expectInvalid(await call("/app/whoami", { token }), "inside the cooldown");
    expect(await fetches()).toBe(before);

    advance(COOLDOWN_MS);
    expect((await call("/app/whoami", { token: await appToken({ key: next.privateKey, kid: next.kid }) })).status).toBe(
      200,
    );
    expect(await fetches()).toBe(before + 1);
  });

  it("forged unknown kids, sent many times, refetch the JWKS at most once per cooldown", async () => {
    expect((await call("/app/whoami", { token: await appToken() })).status).toBe(200);
    advance(COOLDOWN_MS + 1000);
    const { fetches: start, coreCalls } = await control("/state");
    const { privateKey } = await generateKeyPair("RS256");

    const forge = (kid: string) => appToken({ key: privateKey, kid });
    const hammer = async (round: string) => {
      // Concurrent bursts of distinct and repeated kids, then a sequential run, on both prefixes.
      const burst = await Promise.all(
        Array.from({ length: 20 }, async (_, i) =>
          call(i % 2 ? "/app/whoami" : "/dashboard/mission-configurations", {
            token: await forge(i % 4 ? `forged-${round}-${i}` : "forged-repeated"),
          }),
        ),
      );
      for (const res of burst) await expectInvalid(res, `${round} burst`);
      for (let i = 0; i < 10; i++) {
        await expectInvalid(await call("/app/whoami", { token: await forge("forged-repeated") }), `${round} seq`);
      }
    };

    await hammer("first");
    expect(await fetches()).toBe(start + 1);

    advance(COOLDOWN_MS - 1000); // still inside the cooldown of that refetch
    await hammer("second");
    expect(await fetches()).toBe(start + 1);

    advance(2000); // the cooldown has passed: one more refetch, no more
    await hammer("third");
    expect(await fetches()).toBe(start + 2);

    // The forged kids never reached the core, and real tokens still pass without a fetch.
    expect((await control("/state")).coreCalls).toBe(coreCalls);
    expect((await call("/app/whoami", { token: await appToken() })).status).toBe(200);
    expect(await fetches()).toBe(start + 2);
  });

  it("a forged kid does not evict the keys already held when the JWKS endpoint is down", async () => {
    expect((await call("/app/whoami", { token: await appToken() })).status).toBe(200);
    advance(COOLDOWN_MS + 1000);
    await control("/jwks/failing?on=1");
    const before = await fetches();
    await expectInvalid(await call("/app/whoami", { token: await appToken({ kid: "forged-outage" }) }), "forged");
    expect(await fetches()).toBe(before + 1);
    expect((await call("/app/whoami", { token: await appToken() })).status).toBe(200);
  });
});
