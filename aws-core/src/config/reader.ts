import { SSMProvider } from "@aws-lambda-powertools/parameters/ssm";
import { logger } from "../logging";
import { CONFIG_PARAMETERS, type ConfigKey, type CoreConfig, coreConfigSchema } from "./parameters";

/**
 * The core's configuration at run time. In a deployment each Lambda has `CONFIG_PARAMETER_PATH`
 * (`/questline/<stage>`): the handler awaits `loadCoreConfig()` at init and on each invocation,
 * which reads every parameter under the path with one GetParametersByPath through Powertools'
 * SSMProvider and keeps it for `CONFIG_MAX_AGE_SECONDS` (a changed parameter reaches running
 * instances within that time). Without a path — the local stack, tests — the same schema is
 * filled from the environment and the defaults, with no network.
 *
 * Per parameter: its SSM value when the path holds it, else its environment variable, else the
 * default. An invalid value fails `loadCoreConfig()` naming the parameter, where it came from and
 * why; after a successful load, a later invalid refresh is logged and the last good values stay.
 */
export const CONFIG_PATH_ENV = "CONFIG_PARAMETER_PATH";
/** How long a read of the stage's parameters is reused (Powertools' maxAge). */
export const CONFIG_MAX_AGE_SECONDS = 60;

/** Where the stage's parameters come from: names relative to the path → their text values. */
export interface ParameterSource {
  byPath(path: string): Promise<Record<string, unknown> | undefined>;
}

export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";
}

/** SSM Parameter Store through Powertools (cached per instance for `maxAgeSeconds`). */
export function ssmParameterSource(
  provider: SSMProvider = new SSMProvider(),
  maxAgeSeconds = CONFIG_MAX_AGE_SECONDS,
): ParameterSource {
  return {
    byPath: (path) =>
      provider.getMultiple(path, { maxAge: maxAgeSeconds, recursive: true }) as Promise<
        Record<string, unknown> | undefined
      >,
  };
}

const ENTRIES = Object.entries(CONFIG_PARAMETERS) as [ConfigKey, (typeof CONFIG_PARAMETERS)[ConfigKey]][];
const KNOWN_NAMES = new Set(ENTRIES.map(([, entry]) => entry.name));

/**
 * The configuration from stored parameters (names relative to `path`) and the environment.
 * Throws a ConfigurationError naming every invalid value.
 */
export function resolveCoreConfig(
  env: NodeJS.ProcessEnv,
  stored: Record<string, unknown> = {},
  path?: string,
): CoreConfig {
  const raw: Partial<Record<ConfigKey, string>> = {};
  const origin: Partial<Record<ConfigKey, string>> = {};
  for (const [key, entry] of ENTRIES) {
    const fromStore = stored[entry.name];
    const fromEnv = env[entry.env];
    if (typeof fromStore === "string") {
      raw[key] = fromStore;
      origin[key] = `SSM ${path ?? ""}/${entry.name}`;
    } else if (fromEnv !== undefined && fromEnv !== "") {
      raw[key] = fromEnv;
      origin[key] = `environment ${entry.env}`;
    }
  }
  const parsed = coreConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path[0] as ConfigKey;
    const entry = CONFIG_PARAMETERS[key];
    const value = raw[key];
    return `${entry?.name ?? String(key)} = ${JSON.stringify(value)} (${origin[key] ?? "default"}): ${issue.message}`;
  });
  throw new ConfigurationError(`Invalid core configuration: ${problems.join("; ")}`);
}

let loaded: { path: string; stored: Record<string, unknown> | undefined; config: CoreConfig } | undefined;
let defaultSource: ParameterSource | undefined;
let fromEnvironment: { snapshot: string; config: CoreConfig } | undefined;

function environmentSnapshot(env: NodeJS.ProcessEnv): string {
  return ENTRIES.map(([, entry]) => env[entry.env] ?? "").join("\u0000");
}

function configFromEnvironment(env: NodeJS.ProcessEnv): CoreConfig {
  const snapshot = environmentSnapshot(env);
  if (fromEnvironment?.snapshot !== snapshot) {
    fromEnvironment = { snapshot, config: resolveCoreConfig(env) };
  }
  return fromEnvironment.config;
}

function warnUnknown(path: string, stored: Record<string, unknown>): void {
  const unknown = Object.keys(stored).filter((name) => !KNOWN_NAMES.has(name));
  // A parameter declared before the code that reads it is deployed: not an error.
  if (unknown.length > 0) logger.warn("unknown configuration parameters ignored", { path, unknown });
}

/**
 * Loads (or refreshes) the configuration. With `CONFIG_PARAMETER_PATH` set it reads the stage's
 * parameters (cached by the source); without, it resolves the environment and defaults.
 */
export async function loadCoreConfig(
  options: { env?: NodeJS.ProcessEnv; source?: ParameterSource } = {},
): Promise<CoreConfig> {
  const env = options.env ?? process.env;
  const path = env[CONFIG_PATH_ENV];
  if (!path) return configFromEnvironment(env);
  defaultSource ??= ssmParameterSource();
  const source = options.source ?? defaultSource;
  const previous = loaded?.path === path ? loaded : undefined;
  let stored: Record<string, unknown> | undefined;
  try {
    stored = await source.byPath(path);
  } catch (err) {
    if (previous) {
      logger.error("configuration refresh failed; keeping the last values", { path, error: String(err) });
      return previous.config;
    }
    throw new ConfigurationError(`Could not read the core configuration under ${path}: ${String(err)}`);
  }
  // The source hands back the same object while its cache holds: nothing to validate again.
  if (previous && previous.stored === stored) return previous.config;
  try {
    const config = resolveCoreConfig(env, stored ?? {}, path);
    warnUnknown(path, stored ?? {});
    loaded = { path, stored, config };
    return config;
  } catch (err) {
    if (!previous) throw err;
    logger.error("invalid configuration refresh ignored; keeping the last values", { path, error: String(err) });
    loaded = { ...previous, stored };
    return previous.config;
  }
}

/**
 * The current configuration, synchronously. Without an SSM path it follows the environment
 * (re-resolved when a variable changes); with one, `loadCoreConfig()` must have run.
 */
export function coreConfig(): CoreConfig {
  const path = process.env[CONFIG_PATH_ENV];
  if (!path) return configFromEnvironment(process.env);
  if (loaded?.path !== path) {
    throw new ConfigurationError(`The core configuration under ${path} is not loaded: await loadCoreConfig() first`);
  }
  return loaded.config;
}

/** Forgets what was loaded (tests). */
export function resetCoreConfig(): void {
  loaded = undefined;
  fromEnvironment = undefined;
  defaultSource = undefined;
}
