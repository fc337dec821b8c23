export {
  CONFIG_DEFAULTS,
  CONFIG_PARAMETERS,
  type ConfigKey,
  type CoreConfig,
  coreConfigSchema,
  type ParameterSpec,
  parameterText,
  stageParameterPath,
} from "./parameters";
export {
  CONFIG_MAX_AGE_SECONDS,
  CONFIG_PATH_ENV,
  ConfigurationError,
  coreConfig,
  loadCoreConfig,
  type ParameterSource,
  resetCoreConfig,
  resolveCoreConfig,
  ssmParameterSource,
} from "./reader";
