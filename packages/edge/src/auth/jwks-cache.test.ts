import { exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { JwksCache } from "./jwks-cache";

async function publicJwk(kid: string) {
  const { publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
}

function fakeIssuer(keys: unknown[]) {
  const state = { keys, failing: false, fetches: 0 };
  const fetchImpl = (async () => {
    state.fetches++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (state.failing) return new Response("down", { status: 503 });
    return Response.json({ keys: state.keys });
  }) as unknown as typeof fetch;
  return { state, fetchImpl };
}

const cacheName = () => `jwks-test-${crypto.randomUUID()}`;

describe("JwksCache", () => {
  it("fetches once for concurrent cold callers (single-flight)", async () => {
    const issuer = fakeIssuer([await publicJwk("k1")]);
    const name = cacheName();
    const jwks = new JwksCache({
      url: "https://issuer/jwks",
      fetch: issuer.fetchImpl,
      openCache: () => caches.open(name),
    });
    const keys = await Promise.all(Array.from({ length: 10 }, () => jwks.getKey("k1")));
    expect(keys.every((k) => k !== null)).toBe(true);
    expect(issuer.state.fetches).toBe(1);
  });

  it("a cold isolate reads the Cache API instead of the network", async () => {
    const issuer = fakeIssuer([await publicJwk("k1")]);
    const name = cacheName();
    const openCache = () => caches.open(name);
    await new JwksCache({ url: "https://issuer/jwks", fetch: issuer.fetchImpl, openCache }).getKey("k1");
    const cold = new JwksCache({ url: "https://issuer/jwks", fetch: issuer.fetchImpl, openCache });
    expect(await cold.getKey("k1")).not.toBeNull();
    expect(issuer.state.fetches).toBe(1);
  });

  it("an unknown kid refreshes once per cooldown (rotation works, forged kids cannot hammer)", async () => {
    const issuer = fakeIssuer([await publicJwk("k1")]);
    let now = 1_000_000;
    const jwks = new JwksCache({
      url: "https://issuer/jwks",
      fetch: issuer.fetchImpl,
      openCache: async () => undefined,
      refreshCooldownMs: 30_000,
      now: () => now,
    });
    await jwks.getKey("k1");
    now += 31_000;
    issuer.state.keys = [...issuer.state.keys, await publicJwk("k2")];
    expect(await jwks.getKey("k2")).not.toBeNull(); // rotation: one refresh
    expect(issuer.state.fetches).toBe(2);
    const forged = await Promise.all(Array.from({ length: 20 }, (_, i) => jwks.getKey(`forged-${i}`)));
    expect(forged.every((k) => k === null)).toBe(true);
    expect(issuer.state.fetches).toBe(2); // still inside the cooldown
    now += 31_000;
    await jwks.getKey("forged-again");
    expect(issuer.state.fetches).toBe(3);
  });

  it("keeps verifying with warm keys while the JWKS endpoint is down", async () => {
    const issuer = fakeIssuer([await publicJwk("k1")]);
    let now = 1_000_000;
    const jwks = new JwksCache({
      url: "https://issuer/jwks",
      fetch: issuer.fetchImpl,
      openCache: async () => undefined,
      maxAgeSeconds: 60,
      now: () => now,
    });
    await jwks.getKey("k1");
    issuer.state.failing = true;
    now += 10 * 60_000; // keys are stale and the refresh fails
    expect(await jwks.getKey("k1")).not.toBeNull();
    expect(issuer.state.fetches).toBe(2);
  });

  it("with no keys at all and the endpoint down, answers 503 rather than 401", async () => {
    const issuer = fakeIssuer([]);
    issuer.state.failing = true;
    const jwks = new JwksCache({
      url: "https://issuer/jwks",
      fetch: issuer.fetchImpl,
      openCache: async () => undefined,
    });
    await expect(jwks.getKey("k1")).rejects.toMatchObject({ code: "upstream.unavailable", status: 503 });
  });
});
