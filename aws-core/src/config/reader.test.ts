import { SSMProvider } from "@aws-lambda-powertools/parameters/ssm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type StoredParameter, startFakeSsm } from "../../test/support/fake-ssm";
import {
  CONFIG_DEFAULTS,
  CONFIG_MAX_AGE_SECONDS,
  CONFIG_PARAMETERS,
  CONFIG_PATH_ENV,
  ConfigurationError,
  coreConfig,
  loadCoreConfig,
  resetCoreConfig,
  ssmParameterSource,
} from ".";

const PATH = "/questline/test";
let ssm: Awaited<ReturnType<typeof startFakeSsm>>;

/** Powertools' SSMProvider with a real SDK client, pointed at the stand-in. */
function ssmSource() {
  return ssmParameterSource(
    new SSMProvider({
      clientConfig: {
        endpoint: ssm.endpoint,
        region: "eu-west-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 1,
      },
    }),
  );
}
const stored = (values: Record<string, string>): StoredParameter[] =>
  Object.entries(values).map(([name, value]) => ({ name: `${PATH}/${name}`, value }));

beforeAll(async () => {
  ssm = await startFakeSsm();
});
afterAll(async () => {
  await ssm.close();
});
afterEach(() => {
  vi.useRealTimers();
  ssm.calls.length = 0;
  resetCoreConfig();
});

describe("core configuration without an SSM path (local stack, tests)", () => {
  it("is every parameter's default when nothing is set", async () => {
    const config = await loadCoreConfig({ env: {} });
    expect(config).toEqual(CONFIG_DEFAULTS);
    expect(config).toMatchObject({
      indexerTimeoutMs: 10_000,
      bodyMaxBytes: 256 * 1024,
      bodyMaxDepth: 32,
      policyCacheTtlMs: 30_000,
      engineConfigCacheMs: 2_000,
      leaderboardEndedRetentionDays: 400,
      idempotencyExpiresAfterSeconds: 86_400,
    });
    expect(config.indexerUrl).toBeUndefined();
    expect(ssm.calls).toHaveLength(0);
  });

  it("takes each parameter's environment variable over its default", async () => {
    const config = await loadCoreConfig({
      env: { INDEXER_URL: "http://127.0.0.1:8789", INDEXER_TIMEOUT_MS: " 2500 ", POLICY_CACHE_TTL_MS: "0" },
    });
    expect(config).toMatchObject({ indexerUrl: "http://127.0.0.1:8789", indexerTimeoutMs: 2_500, policyCacheTtlMs: 0 });
    expect(config.bodyMaxBytes).toBe(CONFIG_DEFAULTS.bodyMaxBytes);
  });

  it("rejects invalid values at load, naming each parameter, its source and the reason", async () => {
    const load = loadCoreConfig({
      env: { INDEXER_TIMEOUT_MS: "soon", BODY_MAX_BYTES: String(1024 * 1024), INDEXER_URL: "ftp://x" },
    });
    await expect(load).rejects.toBeInstanceOf(ConfigurationError);
    const message = await load.catch((err: Error) => err.message);
    expect(message).toContain('indexer/timeout-ms = "soon" (environment INDEXER_TIMEOUT_MS): must be a whole number');
    expect(message).toMatch(/http\/body-max-bytes = "1048576" \(environment BODY_MAX_BYTES\): .*262144/);
    expect(message).toContain('indexer/url = "ftp://x" (environment INDEXER_URL): must be an http(s) URL');
  });

  it("follows the environment when a variable changes (coreConfig, synchronously)", () => {
    const saved = process.env.ENGINE_CONFIG_CACHE_MS;
    try {
      process.env.ENGINE_CONFIG_CACHE_MS = "750";
      expect(coreConfig().engineConfigCacheMs).toBe(750);
      process.env.ENGINE_CONFIG_CACHE_MS = "0";
      expect(coreConfig().engineConfigCacheMs).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.ENGINE_CONFIG_CACHE_MS;
      else process.env.ENGINE_CONFIG_CACHE_MS = saved;
    }
  });
});

describe("core configuration from SSM Parameter Store (Powertools SSMProvider)", () => {
  it("reads every parameter under the stage path, over the environment, paging and recursing", async () => {
    // 12 parameters (two pages of SSM's 10) in nested names, one the code does not know.
    ssm.set([
      ...stored({
        "indexer/url": "https://indexer.questline.example",
        "indexer/timeout-ms": "4000",
        "http/body-max-bytes": "131072",
        "http/body-max-depth": "16",
        "authorization/policy-cache-ttl-ms": "10000",
        "engine/config-cache-ms": "1000",
        "flags/max-age-seconds": "15",
        "leaderboards/instance-cache-ms": "2000",
        "leaderboards/ended-retention-days": "90",
        "leaderboards/redis-ended-retention-days": "7",
        "idempotency/expires-after-seconds": "3600",
        "future/not-read-yet": "1",
      }),
      { name: "/questline/other/indexer/timeout-ms", value: "1" },
      { name: "/questline/testing/indexer/timeout-ms", value: "2" },
    ]);
    const config = await loadCoreConfig({
      env: { [CONFIG_PATH_ENV]: PATH, INDEXER_TIMEOUT_MS: "9999", POLICY_CACHE_TTL_MS: "5" },
      source: ssmSource(),
    });
    expect(config).toEqual({
      indexerUrl: "https://indexer.questline.example",
      indexerTimeoutMs: 4_000,
      bodyMaxBytes: 131_072,
      bodyMaxDepth: 16,
      policyCacheTtlMs: 10_000,
      engineConfigCacheMs: 1_000,
      flagsMaxAgeSeconds: 15,
      leaderboardInstanceCacheMs: 2_000,
      leaderboardEndedRetentionDays: 90,
      leaderboardRedisRetentionDays: 7,
      idempotencyExpiresAfterSeconds: 3_600,
    });
    expect(ssm.calls.map((c) => [c.path, c.recursive])).toEqual([
      [PATH, true],
      [PATH, true],
    ]);
  });

  it("falls back to the environment, then the default, for a parameter the path lacks", async () => {
    ssm.set(stored({ "indexer/url": "https://indexer.questline.example" }));
    const config = await loadCoreConfig({
      env: { [CONFIG_PATH_ENV]: PATH, INDEXER_TIMEOUT_MS: "3000" },
      source: ssmSource(),
    });
    expect(config).toMatchObject({
      indexerUrl: "https://indexer.questline.example",
      indexerTimeoutMs: 3_000,
      bodyMaxDepth: CONFIG_DEFAULTS.bodyMaxDepth,
    });
  });

  it(`reads SSM once per ${CONFIG_MAX_AGE_SECONDS} s; a changed value arrives after that`, async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-08T00:00:00Z") });
    ssm.set(stored({ "engine/config-cache-ms": "1000" }));
    const env = { [CONFIG_PATH_ENV]: PATH };
    const source = ssmSource();
    expect((await loadCoreConfig({ env, source })).engineConfigCacheMs).toBe(1_000);
    ssm.set(stored({ "engine/config-cache-ms": "1500" }));
    vi.setSystemTime(new Date(Date.now() + (CONFIG_MAX_AGE_SECONDS - 1) * 1000));
    expect((await loadCoreConfig({ env, source })).engineConfigCacheMs).toBe(1_000);
    expect(ssm.calls).toHaveLength(1);
    vi.setSystemTime(new Date(Date.now() + 2000));
    expect((await loadCoreConfig({ env, source })).engineConfigCacheMs).toBe(1_500);
    expect(ssm.calls).toHaveLength(2);
  });

  it("fails the init on an invalid stored value, naming the parameter's full SSM name", async () => {
    ssm.set(stored({ "indexer/timeout-ms": "50", "http/body-max-depth": "deep" }));
    const load = loadCoreConfig({ env: { [CONFIG_PATH_ENV]: PATH }, source: ssmSource() });
    await expect(load).rejects.toThrow(ConfigurationError);
    const message = await load.catch((err: Error) => err.message);
    expect(message).toContain(`indexer/timeout-ms = "50" (SSM ${PATH}/indexer/timeout-ms): Too small`);
    expect(message).toContain(`http/body-max-depth = "deep" (SSM ${PATH}/http/body-max-depth): must be a whole number`);
  });

  it("keeps the last good values when a later refresh is invalid or SSM is unreachable", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const env = { [CONFIG_PATH_ENV]: PATH };
    const source = ssmSource();
    ssm.set(stored({ "indexer/timeout-ms": "4000" }));
    await loadCoreConfig({ env, source });
    ssm.set(stored({ "indexer/timeout-ms": "-1" }));
    vi.setSystemTime(new Date(Date.now() + (CONFIG_MAX_AGE_SECONDS + 1) * 1000));
    expect((await loadCoreConfig({ env, source })).indexerTimeoutMs).toBe(4_000);

    const unreachable = { byPath: () => Promise.reject(new Error("connect ECONNREFUSED")) };
    expect((await loadCoreConfig({ env, source: unreachable })).indexerTimeoutMs).toBe(4_000);
    resetCoreConfig();
    await expect(loadCoreConfig({ env, source: unreachable })).rejects.toThrow(
      `Could not read the core configuration under ${PATH}: Error: connect ECONNREFUSED`,
    );
  });

  it("refuses to answer synchronously before the stage's parameters are loaded", async () => {
    const saved = process.env[CONFIG_PATH_ENV];
    process.env[CONFIG_PATH_ENV] = PATH;
    try {
      expect(() => coreConfig()).toThrow(`The core configuration under ${PATH} is not loaded`);
      ssm.set(stored({ "authorization/policy-cache-ttl-ms": "1234" }));
      await loadCoreConfig({ source: ssmSource() });
      expect(coreConfig().policyCacheTtlMs).toBe(1_234);
    } finally {
      if (saved === undefined) delete process.env[CONFIG_PATH_ENV];
      else process.env[CONFIG_PATH_ENV] = saved;
    }
  });
});

describe("the parameter schema", () => {
  it("gives every parameter a unique SSM name and environment variable, and a description", () => {
    const entries = Object.values(CONFIG_PARAMETERS);
    expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
    expect(new Set(entries.map((e) => e.env)).size).toBe(entries.length);
    for (const entry of entries) {
      expect(entry.name).toMatch(/^[a-z]+(\/[a-z0-9-]+)+$/);
      expect(entry.description.length).toBeGreaterThan(20);
    }
  });
});
