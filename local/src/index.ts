/**
 * Local stand-ins for the AWS side of Questline, for the dev stack, the tests and the benches
 * (never deployed): DynamoDB Local and redis-server launchers, a Cognito-shaped identity
 * provider, an API Gateway (HTTP API + IAM auth) in front of a Lambda handler, and Lambda's
 * DynamoDB stream event source mapping, and AppConfig's data API over a flags file.
 */
export { type LocalAppConfig, type LocalAppConfigOptions, startLocalAppConfig } from "./appconfig";
export { checkJava, type DynamoDbLocal, dynamoDbLocalJarDir, startDynamoDbLocal } from "./dynamodb-local";
export {
  type BusEvent,
  type LocalEventBus,
  type LocalEventBusOptions,
  type RuleTarget,
  startLocalEventBus,
} from "./event-bus";
export { type EventPattern, InvalidEventPatternError, matchesPattern, validatePattern } from "./event-pattern";
export {
  type ApiHandler,
  buildApiGatewayEvent,
  createGatewayInvoker,
  type GatewayResponse,
  type IncomingGatewayRequest,
  LOCAL_EDGE_CREDENTIALS,
  LOCAL_MEDIA_CREDENTIALS,
  LOCAL_PRINCIPAL_NAMES,
  type LocalGateway,
  type LocalGatewayOptions,
  localPrincipalArn,
  mapLambdaResult,
  startLocalGateway,
} from "./gateway";
export {
  cognitoIssuer,
  LOCAL_CLIENT_IDS,
  LOCAL_COGNITO,
  LocalIdentityProvider,
  type MintTokenInput,
  type RunningIdentityProvider,
  startIdentityProvider,
  type TokenClaimsInput,
  type TokenRequestResolver,
} from "./identity-provider";
export { lambdaContext } from "./lambda-context";
export { freePort, waitForPort } from "./ports";
export { commandExists, type ManagedProcess, startProcess } from "./process";
export { checkRedis, type RedisServer, startRedisServer } from "./redis-server";
export {
  type DeadLetter,
  type StreamHandler,
  type StreamProcessor,
  type StreamProcessorOptions,
  startStreamProcessor,
  toLambdaRecord,
} from "./stream-processor";
