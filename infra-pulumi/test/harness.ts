import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../src/config.js";

export const ACCOUNT_ID = "123456789012";

export interface DeclaredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** Inputs as the engine saw them, secret markers included. */
  rawInputs: Record<string, unknown>;
  provider?: string;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Mock inputs keep Pulumi's secret wrapper ({ <sig>: <secret sig>, value }); tests assert on the values. */
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (SECRET_SIG in record && "value" in record) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** Whether a mock input was marked secret somewhere inside. */
export function containsSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return SECRET_SIG in record || Object.values(record).some(containsSecret);
  }
  return false;
}

/** Outputs AWS would compute that the program reads back (ARNs, stream ARNs, endpoints). */
function fakeState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const region = name.match(/eu-(west|north)-1/)?.[0] ?? "eu-west-1";
  const arn = `arn:aws:${type.split(":")[1]?.split("/")[0]}:${region}:${ACCOUNT_ID}:${name}`;
  const state: Record<string, unknown> = { ...inputs, arn, name: inputs.name ?? name };
  switch (type) {
    case "aws:dynamodb/table:Table": {
      state.arn = `arn:aws:dynamodb:${region}:${ACCOUNT_ID}:table/${String(inputs.name)}`;
      state.streamArn = `${String(state.arn)}/stream/2026-01-01T00:00:00.000`;
      const replicas = (inputs.replicas as { regionName: string }[] | undefined) ?? [];
      state.replicas = replicas.map((r) => {
        const replicaArn = `arn:aws:dynamodb:${r.regionName}:${ACCOUNT_ID}:table/${String(inputs.name)}`;
        return { ...r, arn: replicaArn, streamArn: `${replicaArn}/stream/2026-01-01T00:00:00.001` };
      });
      break;
    }
    case "aws:apigatewayv2/api:Api":
      state.executionArn = `arn:aws:execute-api:${region}:${ACCOUNT_ID}:${name}-id`;
      state.apiEndpoint = `https://${name}-id.execute-api.${region}.amazonaws.com`;
      break;
    case "aws:apigatewayv2/domainName:DomainName":
      state.domainNameConfiguration = {
        ...(inputs.domainNameConfiguration as object),
        targetDomainName: `d-${name}.execute-api.${region}.amazonaws.com`,
        hostedZoneId: "ZREGIONAL",
      };
      break;
    case "aws:acm/certificate:Certificate":
      state.domainValidationOptions = [
        {
          domainName: inputs.domainName,
          resourceRecordName: `_x.${String(inputs.domainName)}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: "_y.acm-validations.aws.",
        },
      ];
      break;
    case "aws:memorydb/cluster:Cluster":
      state.clusterEndpoints = [{ address: `clustercfg.${name}.memorydb.${region}.amazonaws.com`, port: 6379 }];
      break;
    case "aws:lambda/function:Function":
      state.version = "1";
      state.invokeArn = `arn:aws:apigateway:${region}:lambda:path/functions/${arn}/invocations`;
      break;
    case "aws:lambda/alias:Alias":
      state.invokeArn = `arn:aws:apigateway:${region}:lambda:path/functions/${arn}/invocations`;
      break;
    case "aws:cognito/userPool:UserPool":
      state.arn = `arn:aws:cognito-idp:${region}:${ACCOUNT_ID}:userpool/${region}_${name.length}`;
      break;
    case "aws:iam/accessKey:AccessKey":
      state.secret = `${name}-secret`;
      break;
    case "aws:iam/user:User":
      state.arn = `arn:aws:iam::${ACCOUNT_ID}:user${String(inputs.path ?? "/")}${String(inputs.name)}`;
      break;
    case "aws:appconfig/environment:Environment":
      state.environmentId = `${name}-envid`;
      break;
    case "aws:appconfig/configurationProfile:ConfigurationProfile":
      state.configurationProfileId = `${name}-profileid`;
      break;
    case "aws:appconfig/hostedConfigurationVersion:HostedConfigurationVersion":
      state.versionNumber = 1;
      break;
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      state.prefixListId = "pl-dynamodb";
      break;
  }
  return state;
}

/**
 * Runs `declarePlatform` under Pulumi's mock runtime and returns every resource it
 * registered with the inputs the program gave it.
 */
export async function declareWithMocks(config: PlatformConfig): Promise<DeclaredResource[]> {
  const declared: DeclaredResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = unwrapSecrets(args.inputs) as Record<string, unknown>;
        declared.push({
          type: args.type,
          name: args.name,
          inputs,
          rawInputs: args.inputs as Record<string, unknown>,
          provider: args.provider,
        });
        return { id: `${args.name}-id`, state: fakeState(args.type, args.name, inputs) };
      },
      call: (args) => {
        if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
          return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/ci`, userId: "ci", id: ACCOUNT_ID };
        }
        return args.inputs;
      },
    },
    "questline",
    config.stack,
    false,
  );
  const { declarePlatform } = await import("../src/platform.js");
  const outputs = declarePlatform(config);
  // Resolve every exported output so all registrations (and applies) have happened.
  await new Promise<void>((resolve) => pulumi.output(outputs).apply(() => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 50));
  return declared;
}

export function testConfig(stack: "dev" | "staging" | "prod", overrides: Partial<PlatformConfig> = {}): PlatformConfig {
  const secret = (value: string) => pulumi.secret(value);
  return {
    project: "questline",
    stack,
    primaryRegion: "eu-west-1",
    replicaRegion: "eu-north-1",
    activeRegion: "eu-west-1",
    standbyCoreInReplica: true,
    deletionProtection: stack === "prod",
    repoRoot: "/repo",
    skipBundling: true,
    logLevel: "info",
    logRetentionDays: 30,
    alarmEmail: "oncall@questline.example",
    functions: {
      api: { memoryMb: 1024, timeoutSeconds: 28, reservedConcurrency: 200, provisionedConcurrency: 2 },
      stream: { memoryMb: 512, timeoutSeconds: 60, reservedConcurrency: 10 },
      scheduled: { memoryMb: 512, timeoutSeconds: 240, reservedConcurrency: 1 },
      preToken: { memoryMb: 256, timeoutSeconds: 5 },
    },
    network: {
      vpcCidrs: { "eu-west-1": "10.40.0.0/16", "eu-north-1": "10.41.0.0/16" },
      availabilityZoneSuffixes: ["a", "b", "c"],
    },
    api: {
      hostedZoneId: "Z123",
      coreDomain: `core.${stack}.questline.example`,
      throttlingBurstLimit: 500,
      throttlingRateLimit: 1000,
      p99LatencyAlarmMs: 1500,
    },
    waf: { requestsPer5MinutesPerIp: 2000, tokenRequestsPer5MinutesPerIp: 300 },
    stream: { batchSize: 100, maximumRetryAttempts: 5, maximumRecordAgeSeconds: 3600, parallelizationFactor: 1 },
    memoryDb: {
      nodeType: "db.t4g.small",
      numShards: 1,
      replicasPerShard: 1,
      engineVersion: "7.1",
      password: secret("a-long-redis-password-123"),
    },
    cognito: {
      domainPrefix: `questline-${stack}`,
      callbackUrls: ["https://app.questline.example/callback"],
      logoutUrls: ["https://app.questline.example/"],
    },
    indexerSigningKey: { accessKeyId: secret("QLINDEXER"), secretAccessKey: secret("indexer-secret") },
    paginationSecret: secret("pagination-secret"),
    coreParameters: { "engine/config-cache-ms": "1000", "leaderboards/ended-retention-days": "90" },
    backup: { retentionDays: 35, scheduleCron: "cron(0 3 * * ? *)" },
    cloudflare: {
      accountId: "cf-account",
      zoneId: "cf-zone",
      apiHostname: "api.questline.example",
      mediaHostname: "media.questline.example",
      indexerHostname: "indexer.questline.example",
      indexerSigningRegion: "auto",
      corsOrigins: ["https://dashboard.questline.example"],
      compatibilityDate: "2026-01-15",
      d1LocationHint: "weur",
      r2Location: "weur",
      rateLimits: {
        api: [
          { binding: "WORKSPACE_RATE_LIMITER", namespaceId: "1001", limit: 6000, periodSeconds: 60 },
          { binding: "USER_RATE_LIMITER", namespaceId: "1002", limit: 600, periodSeconds: 60 },
          { binding: "CLIENT_RATE_LIMITER", namespaceId: "1003", limit: 2000, periodSeconds: 60 },
        ],
        media: [
          { binding: "CLIENT_RATE_LIMITER", namespaceId: "1004", limit: 2000, periodSeconds: 60 },
          { binding: "WORKSPACE_RATE_LIMITER", namespaceId: "1005", limit: 6000, periodSeconds: 60 },
          { binding: "USER_RATE_LIMITER", namespaceId: "1006", limit: 600, periodSeconds: 60 },
        ],
      },
      vars: { api: { CORE_TIMEOUT_MS: "8000" } },
      mediaCrons: ["17 * * * *"],
    },
    mediaSecrets: { signingSecret: secret("media-signing-secret") },
    ...overrides,
  };
}

export const ofType = (resources: DeclaredResource[], type: string) => resources.filter((r) => r.type === type);

export function single(resources: DeclaredResource[], type: string, nameIncludes = ""): DeclaredResource {
  const matches = ofType(resources, type).filter((r) => r.name.includes(nameIncludes));
  if (matches.length !== 1)
    throw new Error(
      `expected one ${type} named *${nameIncludes}*, found ${matches.map((m) => m.name).join(", ") || "none"}`,
    );
  return matches[0] as DeclaredResource;
}
