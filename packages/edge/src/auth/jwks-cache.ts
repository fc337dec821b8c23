import { QuestlineError } from "@questline/contracts";
import { importJWK, type JWK } from "jose";

export interface JwksCacheOptions {
  /** The JWKS location. Production: the user pool's hosted JWKS; tests and local dev: a local issuer. */
  url: string;
  /** How long fetched keys count as fresh (memory and Cache API), seconds. Default 3600. */
  maxAgeSeconds?: number;
  /** Minimum time between network refreshes triggered by an unknown `kid`, ms. Default 30 000. */
  refreshCooldownMs?: number;
  /** Timeout of one JWKS fetch, ms. Default 3000. */
  timeoutMs?: number;
  /** The shared cache that lets cold isolates skip the network. Default `caches.open("questline-jwks")`. */
  openCache?: () => Promise<Cache | undefined>;
  fetch?: typeof fetch;
  now?: () => number;
}

type RsaJwk = JWK & { kid: string; kty: "RSA" };

const FETCHED_AT_HEADER = "x-questline-fetched-at";

async function defaultOpenCache(): Promise<Cache | undefined> {
  try {
    return typeof caches === "undefined" ? undefined : await caches.open("questline-jwks");
  } catch {
    return undefined;
  }
}

/**
 * The signing keys of one issuer, cached per isolate and in the Cache API.
 *
 * - A cold isolate reads the Cache API entry before going to the network.
 * - An unknown `kid` triggers at most one network refresh per cooldown (single-flight:
 *   concurrent callers share it), so forged kids cannot make every request refetch.
 * - Stale keys are refreshed in the same single-flight way; when the JWKS endpoint is down
 *   the keys already held keep verifying.
 */
export class JwksCache {
  readonly url: string;
  private readonly maxAgeMs: number;
  private readonly cooldownMs: number;
  private readonly timeoutMs: number;
  private readonly openCache: () => Promise<Cache | undefined>;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  private keys: Map<string, RsaJwk> | null = null;
  private loadedAt = 0;
  private lastNetworkAttempt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | null = null;
  private readonly imported = new Map<string, Promise<CryptoKey>>();
  /** Network fetches made by this instance (observability and tests). */
  networkFetches = 0;

  constructor(options: JwksCacheOptions) {
    this.url = options.url;
    this.maxAgeMs = (options.maxAgeSeconds ?? 3600) * 1000;
    this.cooldownMs = options.refreshCooldownMs ?? 30_000;
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.openCache = options.openCache ?? defaultOpenCache;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    // Read the clock at call time (not a captured `Date.now`), so a replaced `Date` is honoured.
    this.now = options.now ?? (() => Date.now());
  }

  /** The verification key for `kid`, or null when the issuer does not publish it. */
  async getKey(kid: string): Promise<CryptoKey | null> {
    if (!this.keys) await this.loadCold();
    else if (this.now() - this.loadedAt > this.maxAgeMs) await this.refreshIfAllowed();

    let jwk = this.keys?.get(kid);
    if (!jwk) {
      await this.refreshIfAllowed();
      jwk = this.keys?.get(kid);
    }
    if (!jwk) {
      if (!this.keys) {
        throw new QuestlineError("upstream.unavailable", "Token keys are temporarily unavailable", {
          headers: { "retry-after": "5" },
        });
      }
      return null;
    }
    let key = this.imported.get(kid);
    if (!key) {
      key = importJWK({ ...jwk, alg: "RS256" }, "RS256") as Promise<CryptoKey>;
      this.imported.set(kid, key);
    }
    return key;
  }

  private async loadCold(): Promise<void> {
    if (!this.inflight) {
      this.inflight = (async () => {
        const cached = await this.readSharedCache();
        if (cached && this.now() - cached.fetchedAt <= this.maxAgeMs) {
          this.install(cached.keys, cached.fetchedAt);
          return;
        }
        if (cached) this.install(cached.keys, cached.fetchedAt);
        await this.fetchFromNetwork();
      })().finally(() => {
        this.inflight = null;
      });
    }
    await this.inflight;
  }

  private async refreshIfAllowed(): Promise<void> {
    if (this.inflight) return this.inflight;
    if (this.now() - this.lastNetworkAttempt < this.cooldownMs) return;
    this.inflight = this.fetchFromNetwork().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Never throws: a failed refresh leaves the keys already held in place. */
  private async fetchFromNetwork(): Promise<void> {
    this.lastNetworkAttempt = this.now();
    this.networkFetches++;
    try {
      const response = await this.fetchImpl(this.url, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
      const keys = parseJwks(await response.json());
      if (keys.size === 0) throw new Error("JWKS has no RS256 signing keys");
      const fetchedAt = this.now();
      this.install(keys, fetchedAt);
      await this.writeSharedCache(keys, fetchedAt);
    } catch (err) {
      console.warn(JSON.stringify({ msg: "jwks refresh failed", url: this.url, error: String(err) }));
    }
  }

  private install(keys: Map<string, RsaJwk>, fetchedAt: number): void {
    this.keys = keys;
    this.loadedAt = fetchedAt;
    this.imported.clear();
  }

  private cacheKey(): string {
    return `https://jwks.questline.internal/${encodeURIComponent(this.url)}`;
  }

  private async readSharedCache(): Promise<{ keys: Map<string, RsaJwk>; fetchedAt: number } | null> {
    try {
      const cache = await this.openCache();
      const hit = await cache?.match(this.cacheKey());
      if (!hit) return null;
      const keys = parseJwks(await hit.json());
      const fetchedAt = Number(hit.headers.get(FETCHED_AT_HEADER));
      return keys.size > 0 && Number.isFinite(fetchedAt) ? { keys, fetchedAt } : null;
    } catch {
      return null;
    }
  }

  private async writeSharedCache(keys: Map<string, RsaJwk>, fetchedAt: number): Promise<void> {
    try {
      const cache = await this.openCache();
      // The entry outlives the freshness window so a JWKS outage still finds keys to verify with.
      const body = JSON.stringify({ keys: [...keys.values()] });
      await cache?.put(
        this.cacheKey(),
        new Response(body, {
          headers: {
            "content-type": "application/json",
            "cache-control": `max-age=${Math.ceil((this.maxAgeMs * 24) / 1000)}`,
            [FETCHED_AT_HEADER]: String(fetchedAt),
          },
        }),
      );
    } catch {
      // The Cache API is an optimisation; the per-isolate copy is already installed.
    }
  }
}

function parseJwks(value: unknown): Map<string, RsaJwk> {
  const keys = new Map<string, RsaJwk>();
  const list = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) return keys;
  for (const candidate of list as JWK[]) {
    if (candidate?.kty !== "RSA" || typeof candidate.kid !== "string") continue;
    if (candidate.use !== undefined && candidate.use !== "sig") continue;
    if (candidate.alg !== undefined && candidate.alg !== "RS256") continue;
    if (typeof candidate.n !== "string" || typeof candidate.e !== "string") continue;
    keys.set(candidate.kid, { kty: "RSA", kid: candidate.kid, n: candidate.n, e: candidate.e });
  }
  return keys;
}

const isolateCaches = new Map<string, JwksCache>();

/** One `JwksCache` per JWKS URL per isolate. */
export function jwksCacheFor(url: string, options: Omit<JwksCacheOptions, "url"> = {}): JwksCache {
  let cache = isolateCaches.get(url);
  if (!cache) {
    cache = new JwksCache({ url, ...options });
    isolateCaches.set(url, cache);
  }
  return cache;
}
