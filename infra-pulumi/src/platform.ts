import * as aws from "@pulumi/aws";
import { Backups } from "./aws/backups.js";
import { DataTables } from "./aws/data-tables.js";
import { EventForwarding } from "./aws/domain-event-bus.js";
import { EdgePrincipal } from "./aws/edge-principal.js";
import { EncryptionKeys } from "./aws/encryption-keys.js";
import { FailoverDns } from "./aws/failover-dns.js";
import { Identity } from "./aws/identity.js";
import { RegionalCore } from "./aws/regional-core.js";
import { EdgePlatform } from "./cloudflare/edge-platform.js";
import type { PlatformConfig } from "./config.js";
import { type NamingScope, scopeTags } from "./naming.js";

function regionalProvider(scope: NamingScope): aws.Provider {
  return new aws.Provider(`aws-${scope.region}`, {
    region: scope.region as aws.Region,
    defaultTags: { tags: scopeTags(scope) },
  });
}

/** Declares the whole production platform for one stack. */
export function declarePlatform(config: PlatformConfig) {
  const { project, stack, primaryRegion, replicaRegion, activeRegion } = config;
  if (activeRegion !== primaryRegion && activeRegion !== replicaRegion) {
    throw new Error(`questline:activeRegion must be ${primaryRegion} or ${replicaRegion}`);
  }
  if (activeRegion === replicaRegion && !config.standbyCoreInReplica) {
    throw new Error("activeRegion is the replica region but standbyCoreInReplica is false");
  }
  const primary: NamingScope = { project, stack, region: primaryRegion };
  const replica: NamingScope = { project, stack, region: replicaRegion };
  const primaryProvider = regionalProvider(primary);
  const replicaProvider = regionalProvider(replica);
  const inPrimary = { provider: primaryProvider };
  const accountId = aws.getCallerIdentityOutput({}, inPrimary).accountId;

  const keys = new EncryptionKeys("encryption-keys", { primary, replica, accountId, replicaProvider }, inPrimary);
  const keyIn = (region: string) => {
    const key = keys.keyArnByRegion[region];
    if (!key) throw new Error(`no key for ${region}`);
    return key;
  };
  const tables = new DataTables(
    "data-tables",
    {
      primary,
      replicaRegion,
      keyArnByRegion: keys.keyArnByRegion,
      deletionProtection: config.deletionProtection,
    },
    inPrimary,
  );

  // Two edge principals: the api worker's and the media worker's. Only the media worker's may
  // write media records (the api Lambda's MEDIA_WRITER_ARNS), so the api worker cannot forge one.
  const edgePrincipal = new EdgePrincipal(
    "edge-principal",
    {
      scope: primary,
      purpose: "edge",
      description: "Access key the api worker signs core API requests with",
      kmsKeyArn: keyIn(primaryRegion),
    },
    inPrimary,
  );
  const mediaPrincipal = new EdgePrincipal(
    "media-principal",
    {
      scope: primary,
      purpose: "media",
      description: "Access key the media worker signs its media record writes to the core with",
      kmsKeyArn: keyIn(primaryRegion),
    },
    inPrimary,
  );

  const coreIn = (scope: NamingScope, provider: aws.Provider) =>
    new RegionalCore(
      `core-${scope.region}`,
      {
        scope,
        config,
        mainTable: tables.mainTableIn(scope.region),
        idempotencyTable: tables.idempotencyTableIn(scope.region),
        kmsKeyArn: keyIn(scope.region),
        isActiveRegion: scope.region === activeRegion,
        mediaWriterArns: [mediaPrincipal.userArn],
      },
      { provider },
    );
  const primaryCore = coreIn(primary, primaryProvider);
  const replicaCore = config.standbyCoreInReplica ? coreIn(replica, replicaProvider) : undefined;
  const cores = [primaryCore, ...(replicaCore ? [replicaCore] : [])];

  const identity = new Identity(
    "identity",
    {
      scope: primary,
      config,
      mainTable: tables.mainTableIn(primaryRegion),
      kmsKeyArn: keyIn(primaryRegion),
      alarmTopicArn: primaryCore.alarmTopic.topic.arn,
    },
    inPrimary,
  );

  edgePrincipal.allowInvoke(
    "InvokeCoreApiOnly",
    cores.map((core) => core.httpApi.invokeResourceArn),
  );
  mediaPrincipal.allowInvoke(
    "WriteMediaRecordsOnly",
    cores.flatMap((core) => core.httpApi.mediaWriteResourceArns),
  );

  new Backups(
    "backups",
    {
      primary,
      replica,
      replicaProvider,
      keyArnByRegion: keys.keyArnByRegion,
      tableArns: [tables.mainTable.arn, tables.idempotencyTable.arn],
      retentionDays: config.backup.retentionDays,
      scheduleCron: config.backup.scheduleCron,
    },
    inPrimary,
  );

  if (replicaCore) {
    const [activeCore, standbyCore] =
      activeRegion === primaryRegion ? [primaryCore, replicaCore] : [replicaCore, primaryCore];
    const standbyRegion = activeRegion === primaryRegion ? replicaRegion : primaryRegion;
    new EventForwarding(
      "domain-event-forwarding",
      { scope: { project, stack, region: activeRegion }, from: activeCore.events, to: standbyCore.events },
      { provider: activeRegion === primaryRegion ? primaryProvider : replicaProvider },
    );
    new FailoverDns(
      "core-failover",
      {
        scope: primary,
        hostedZoneId: config.api.hostedZoneId,
        coreDomain: config.api.coreDomain,
        primary: { region: activeRegion, api: activeCore.httpApi },
        secondary: { region: standbyRegion, api: standbyCore.httpApi },
      },
      inPrimary,
    );
  }

  const edge = new EdgePlatform("edge", {
    config,
    core: {
      coreApiUrl: `https://${config.api.coreDomain}`,
      coreApiRegion: activeRegion,
      edgeAccessKeyId: edgePrincipal.accessKeyId,
      edgeSecretAccessKey: edgePrincipal.secretAccessKey,
      mediaAccessKeyId: mediaPrincipal.accessKeyId,
      mediaSecretAccessKey: mediaPrincipal.secretAccessKey,
      cognitoRegion: primaryRegion,
      cognitoUserPoolId: identity.userPool.id,
      cognitoClientIds: {
        app: identity.clients.app.id,
        dashboard: identity.clients.dashboard.id,
        machine: identity.clients.machine.id,
      },
    },
  });

  return {
    mainTableName: tables.mainTable.name,
    idempotencyTableName: tables.idempotencyTable.name,
    coreApiUrl: `https://${config.api.coreDomain}`,
    coreApiEndpoints: Object.fromEntries(
      cores.map((core, i) => [i === 0 ? primaryRegion : replicaRegion, core.httpApi.api.apiEndpoint]),
    ),
    cognitoIssuer: identity.issuer,
    cognitoClientIds: {
      app: identity.clients.app.id,
      dashboard: identity.clients.dashboard.id,
      machine: identity.clients.machine.id,
    },
    edgeCredentialsSecretArn: edgePrincipal.credentialsSecret.arn,
    mediaCredentialsSecretArn: mediaPrincipal.credentialsSecret.arn,
    d1DatabaseId: edge.storage.catalog.id,
    d1DatabaseName: edge.storage.catalog.name,
    r2BucketName: edge.storage.mediaBucket.name,
    workerUrls: { api: edge.workers.api.url, media: edge.workers.media.url, indexer: edge.workers.indexer.url },
  } satisfies Record<string, unknown>;
}

export type PlatformOutputs = ReturnType<typeof declarePlatform>;
