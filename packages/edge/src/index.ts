export { accessTokenConfigFromEnv } from "./auth/config";
export { expiredToken, forbidden, invalidToken, missingToken } from "./auth/errors";
export { JwksCache, type JwksCacheOptions, jwksCacheFor } from "./auth/jwks-cache";
export { EXTERNAL_USER_ID_HEADER, requireApp, requireDashboard, USER_ID_HEADER } from "./auth/middleware";
export {
  type AccessTokenConfig,
  cognitoIssuer,
  type VerifiedAccessToken,
  verifyAccessToken,
} from "./auth/verify-access-token";
export type { EdgeAuthBindings, EdgeCoreBindings, EdgeEnv, EdgeVariables } from "./env";
export { errorHandler, notFoundHandler } from "./error-handler";
export {
  type CoreForwardConfig,
  coreConfigFromEnv,
  type SignedForwardInput,
  signedForward,
} from "./forward/signed-forward";
export { type JsonBodyOptions, jsonBody } from "./json-body";
export {
  CLIENT_ADDRESS_HEADER,
  type ClientRateLimitBindings,
  chargePrincipal,
  clientAddressKey,
  clientRateLimit,
  type PrincipalRateLimitBindings,
  principalRateLimit,
} from "./rate-limit";
export { requestId } from "./request-id";
export { requiredConfiguration } from "./required-config";
export { HTML_SECURITY_HEADERS, NOSNIFF_HEADERS, securityHeaders } from "./security-headers";
