export {
  defaultFlagsDocument,
  FLAG_CATALOG,
  FLAG_NAMES,
  type FlagName,
  type FlagSetting,
  type FlagsDocument,
  flagSettingSchema,
  flagsDocumentJsonSchema,
  flagsDocumentSchema,
} from "./catalog";
export { evaluateFlags, flagSetting, isEnabled, ROLLOUT_BUCKETS, rolloutBucket } from "./evaluate";
export { requireFlag } from "./middleware";
export { FLAGS_ENV, type Flags, loadFlags, resetFlags } from "./reader";
export { flagRoutes } from "./routes";
