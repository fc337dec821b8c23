import { readPlatformConfig } from "./config.js";
import { declarePlatform } from "./platform.js";

const outputs = declarePlatform(readPlatformConfig());

export const mainTableName = outputs.mainTableName;
export const idempotencyTableName = outputs.idempotencyTableName;
export const coreApiUrl = outputs.coreApiUrl;
export const coreApiEndpoints = outputs.coreApiEndpoints;
export const cognitoIssuer = outputs.cognitoIssuer;
export const cognitoClientIds = outputs.cognitoClientIds;
export const edgeCredentialsSecretArn = outputs.edgeCredentialsSecretArn;
export const mediaCredentialsSecretArn = outputs.mediaCredentialsSecretArn;
export const d1DatabaseId = outputs.d1DatabaseId;
export const d1DatabaseName = outputs.d1DatabaseName;
export const r2BucketName = outputs.r2BucketName;
export const workerUrls = outputs.workerUrls;
