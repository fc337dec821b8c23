import { AppConfigProvider } from "@aws-lambda-powertools/parameters/appconfig";
import { coreConfig } from "../config";
import { logger } from "../logging";
import { defaultFlagsDocument, type FlagName, type FlagsDocument, flagsDocumentSchema } from "./catalog";
import { evaluateFlags, isEnabled } from "./evaluate";

/**
 * The feature flags at run time. In a deployment the api Lambda has the AppConfig identifiers in
 * its environment; `loadFlags()` reads the configuration document through Powertools'
 * AppConfigProvider (StartConfigurationSession once, then GetLatestConfiguration, which answers
 * an empty body while nothing changed) and reuses it for `flags/max-age-seconds` (SSM, default
 * 30 s): a rollout step or a rollback reaches every instance within that time. Locally the same
 * provider talks to the stand-in of `@questline/local` (`APPCONFIG_ENDPOINT`). Without an
 * application — unit tests — every flag is its catalog default.
 *
 * Flags never fail a request: an unreachable AppConfig or an invalid document is logged and the
 * last good document stays (the catalog defaults before the first good one).
 */
export const FLAGS_ENV = {
  application: "APPCONFIG_APPLICATION",
  environment: "APPCONFIG_ENVIRONMENT",
  profile: "APPCONFIG_FLAGS_PROFILE",
  /** Local stack and tests only: the AppConfigData endpoint (the stand-in). */
  endpoint: "APPCONFIG_ENDPOINT",
} as const;

/** The flags document currently in force, and its evaluation. */
export interface Flags {
  readonly document: FlagsDocument;
  isEnabled(flag: FlagName, workspaceId: string): boolean;
  forWorkspace(workspaceId: string): Record<FlagName, boolean>;
}

function flagsOf(document: FlagsDocument): Flags {
  return {
    document,
    isEnabled: (flag, workspaceId) => isEnabled(document, flag, workspaceId),
    forWorkspace: (workspaceId) => evaluateFlags(document, workspaceId),
  };
}

const DEFAULT_FLAGS = flagsOf(defaultFlagsDocument());

interface Source {
  key: string;
  provider: AppConfigProvider;
  profile: string;
}
let source: Source | undefined;
let last: { key: string; text: string; flags: Flags } | undefined;

function sourceFor(env: NodeJS.ProcessEnv): Source | undefined {
  const application = env[FLAGS_ENV.application];
  const environment = env[FLAGS_ENV.environment];
  const profile = env[FLAGS_ENV.profile];
  if (!application || !environment || !profile) return undefined;
  const endpoint = env[FLAGS_ENV.endpoint];
  const key = [application, environment, profile, endpoint ?? ""].join("\u0000");
  if (source?.key !== key) {
    source = {
      key,
      profile,
      provider: new AppConfigProvider({
        application,
        environment,
        clientConfig: endpoint ? { endpoint, maxAttempts: 2 } : {},
      }),
    };
  }
  return source;
}

let inFlight: { key: string; load: Promise<Flags> } | undefined;

/**
 * Reads (or reuses, within the cache time) the flags document. Concurrent callers share one
 * read: an AppConfig token is good for one GetLatestConfiguration.
 */
export function loadFlags(env: NodeJS.ProcessEnv = process.env): Promise<Flags> {
  const current = sourceFor(env);
  if (!current) return Promise.resolve(DEFAULT_FLAGS);
  if (inFlight?.key === current.key) return inFlight.load;
  const load = readFlags(current).finally(() => {
    if (inFlight?.load === load) inFlight = undefined;
  });
  inFlight = { key: current.key, load };
  return load;
}

async function readFlags(current: Source): Promise<Flags> {
  const previous = last?.key === current.key ? last.flags : DEFAULT_FLAGS;
  let text: string;
  try {
    const value = await current.provider.get(current.profile, { maxAge: coreConfig().flagsMaxAgeSeconds });
    if (value === undefined) return previous;
    text = typeof value === "string" ? value : new TextDecoder().decode(value as Uint8Array);
  } catch (err) {
    logger.error("feature flags unavailable; keeping the last document", { error: String(err) });
    return previous;
  }
  if (last?.key === current.key && last.text === text) return last.flags;
  let parsed: ReturnType<typeof flagsDocumentSchema.safeParse>;
  try {
    parsed = flagsDocumentSchema.safeParse(JSON.parse(text));
  } catch (err) {
    logger.error("feature flags document is not JSON; keeping the last document", { error: String(err) });
    last = { key: current.key, text, flags: previous };
    return previous;
  }
  if (!parsed.success) {
    logger.error("invalid feature flags document; keeping the last document", {
      issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    });
    last = { key: current.key, text, flags: previous };
    return previous;
  }
  last = { key: current.key, text, flags: flagsOf(parsed.data) };
  return last.flags;
}

/** Forgets the provider and the last document (tests). */
export function resetFlags(): void {
  source = undefined;
  last = undefined;
  inFlight = undefined;
}
