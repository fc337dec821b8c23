import { Logger } from "@aws-lambda-powertools/logger";

/**
 * The one Powertools logger of the AWS core. Per-request loggers are children of it
 * carrying the request id (see `http/request-context.ts`); the log level comes from
 * `POWERTOOLS_LOG_LEVEL` (`SILENT` in tests).
 */
export const logger = new Logger({ serviceName: "questline-core" });
