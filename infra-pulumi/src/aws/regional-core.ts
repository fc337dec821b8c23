import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config.js";
import { type NamingScope, resourceName } from "../naming.js";
import {
  queueSend,
  type RegionalTable,
  secretRead,
  streamRead,
  tableRead,
  tableReadWrite,
  webhookDeliveryAccess,
} from "./access-statements.js";
import { AlarmTopic } from "./alarm-topic.js";
import { AuthorizationPolicyStore } from "./authorization-policy-store.js";
import { CoreFunction } from "./core-function.js";
import { CoreHttpApi } from "./core-http-api.js";
import { CoreParameters } from "./core-parameters.js";
import { DeadLetterQueue } from "./dead-letter-queue.js";
import { DomainEventBus } from "./domain-event-bus.js";
import { FeatureFlags } from "./feature-flags.js";
import { HANDLER_ENTRIES } from "./handler-entries.js";
import { LeaderboardCache } from "./leaderboard-cache.js";
import { PrivateNetwork } from "./private-network.js";
import { ScheduledJobs } from "./scheduled-jobs.js";
import { StreamIndexing } from "./stream-indexing.js";

export interface RegionalCoreArgs {
  scope: NamingScope;
  config: PlatformConfig;
  mainTable: RegionalTable;
  idempotencyTable: RegionalTable;
  kmsKeyArn: pulumi.Input<string>;
  /** The stream handler and scheduler run only in the active region. */
  isActiveRegion: boolean;
  /** IAM principals the core accepts media records from (the media worker's user). */
  mediaWriterArns: pulumi.Input<string>[];
}

/**
 * Everything the AWS core runs in one region: private network, MemoryDB, the api / stream /
 * scheduled Lambdas with their least-privilege roles, the HTTP API, the stream mapping, the
 * schedule, the indexer signing secret, DLQs and alarms. Instantiated once per region.
 */
export class RegionalCore extends pulumi.ComponentResource {
  readonly httpApi: CoreHttpApi;
  readonly alarmTopic: AlarmTopic;
  readonly network: PrivateNetwork;
  readonly cache: LeaderboardCache;
  readonly functions: { api: CoreFunction; stream: CoreFunction; scheduled: CoreFunction; webhooks: CoreFunction };
  readonly authorization: AuthorizationPolicyStore;
  readonly events: DomainEventBus;
  readonly parameters: CoreParameters;
  readonly flags: FeatureFlags;

  constructor(name: string, args: RegionalCoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:RegionalCore", name, {}, opts);
    const { scope, config, mainTable, idempotencyTable, kmsKeyArn } = args;
    const region = scope.region;
    const parent = { parent: this };
    const cidr = config.network.vpcCidrs[region];
    if (!cidr) throw new Error(`questline:network.vpcCidrs has no CIDR for ${region}`);

    this.alarmTopic = new AlarmTopic(
      resourceName(scope, "alarms"),
      { scope, kmsKeyArn, email: config.alarmEmail },
      parent,
    );
    const alarmTopicArn = this.alarmTopic.topic.arn;

    this.network = new PrivateNetwork(
      resourceName(scope, "network"),
      {
        scope,
        cidrBlock: cidr,
        availabilityZoneSuffixes: config.network.availabilityZoneSuffixes,
      },
      parent,
    );
    this.cache = new LeaderboardCache(
      resourceName(scope, "leaderboards"),
      {
        scope,
        vpcId: this.network.vpc.id,
        privateSubnetIds: this.network.privateSubnetIds,
        clientSecurityGroupId: this.network.lambdaSecurityGroup.id,
        kmsKeyArn,
        ...config.memoryDb,
      },
      parent,
    );

    this.authorization = new AuthorizationPolicyStore(
      resourceName(scope, "authorization"),
      { scope, deletionProtection: config.deletionProtection },
      parent,
    );

    this.events = new DomainEventBus(resourceName(scope, "domain-events"), { scope }, parent);
    this.parameters = new CoreParameters(
      resourceName(scope, "parameters"),
      {
        scope,
        overrides: config.coreParameters,
        derived: {
          "indexer/url": `https://${config.cloudflare.indexerHostname}`,
          "media/public-url": `https://${config.cloudflare.mediaHostname}`,
        },
      },
      parent,
    );
    const configuration = { CONFIG_PARAMETER_PATH: this.parameters.path };
    const configurationRead = this.parameters.readStatements;
    this.flags = new FeatureFlags(resourceName(scope, "flags"), { scope, document: config.featureFlags }, parent);

    const indexerSigningSecret = new aws.secretsmanager.Secret(
      resourceName(scope, "indexer-signing-key"),
      {
        name: resourceName(scope, "indexer-signing-key"),
        description: "Key pair the stream handler signs indexer batches with (JSON accessKeyId/secretAccessKey)",
        kmsKeyId: kmsKeyArn,
      },
      parent,
    );
    new aws.secretsmanager.SecretVersion(
      resourceName(scope, "indexer-signing-key-value"),
      {
        secretId: indexerSigningSecret.id,
        secretString: pulumi.jsonStringify(config.indexerSigningKey),
      },
      parent,
    );

    const streamFailures = new DeadLetterQueue(
      resourceName(scope, "stream-failures"),
      {
        scope,
        purpose: "stream-failures",
        kmsKeyArn,
        alarmTopicArn,
      },
      parent,
    );
    const scheduleFailures = new DeadLetterQueue(
      resourceName(scope, "schedule-failures"),
      {
        scope,
        purpose: "schedule-failures",
        kmsKeyArn,
        alarmTopicArn,
      },
      parent,
    );

    const inVpc = { subnetIds: this.network.privateSubnetIds, securityGroupIds: [this.network.lambdaSecurityGroup.id] };
    const shared = {
      scope,
      repoRoot: config.repoRoot,
      skipBundling: config.skipBundling,
      logRetentionDays: config.logRetentionDays,
      kmsKeyArn,
      alarmTopicArn,
    };
    const redisEnvironment = {
      REDIS_URL: this.cache.redisUrl,
      REDIS_PASSWORD_SECRET_ARN: this.cache.passwordSecret.arn,
    };
    const redisPassword = secretRead(this.cache.passwordSecret.arn, kmsKeyArn, region, "RedisPassword");

    const api = new CoreFunction(
      resourceName(scope, "api-fn"),
      {
        ...shared,
        purpose: "api",
        entry: HANDLER_ENTRIES.api,
        sizing: config.functions.api,
        vpc: inVpc,
        environment: {
          TABLE_NAME: mainTable.name,
          IDEMPOTENCY_TABLE_NAME: idempotencyTable.name,
          ...redisEnvironment,
          ...configuration,
          ...this.flags.lambdaEnvironment,
          PAGINATION_SECRET: config.paginationSecret,
          MEDIA_WRITER_ARNS: pulumi.output(args.mediaWriterArns).apply((arns) => arns.join(",")),
          POWERTOOLS_SERVICE_NAME: "questline-api",
          LOG_LEVEL: config.logLevel,
        },
        permissions: [
          ...tableReadWrite(mainTable, "MainTable"),
          ...tableReadWrite(idempotencyTable, "IdempotencyTable"),
          ...redisPassword,
          ...configurationRead,
          ...this.flags.readStatements,
        ],
      },
      parent,
    );

    const stream = new CoreFunction(
      resourceName(scope, "stream-fn"),
      {
        ...shared,
        purpose: "stream",
        entry: HANDLER_ENTRIES.stream,
        sizing: config.functions.stream,
        // Outside the VPC: it needs HTTPS to the Cloudflare indexer and no Redis.
        environment: {
          TABLE_NAME: mainTable.name,
          ...configuration,
          INDEXER_SIGNING_SECRET_ARN: indexerSigningSecret.arn,
          INDEXER_REGION: config.cloudflare.indexerSigningRegion,
          EVENT_BUS_NAME: this.events.bus.name,
          // Webhook deliveries: enqueued and first attempted from the stream (docs/webhooks.md).
          WEBHOOKS_ENABLED: "true",
          POWERTOOLS_SERVICE_NAME: "questline-stream",
          LOG_LEVEL: config.logLevel,
        },
        permissions: [
          ...streamRead(mainTable),
          ...secretRead(indexerSigningSecret.arn, kmsKeyArn, region, "IndexerSigningKey"),
          ...queueSend(streamFailures.queue.arn, kmsKeyArn, region, "StreamFailures"),
          ...this.events.publishStatements("PublishDomainEvents"),
          ...webhookDeliveryAccess(mainTable),
          ...configurationRead,
        ],
      },
      parent,
    );

    const scheduled = new CoreFunction(
      resourceName(scope, "scheduled-fn"),
      {
        ...shared,
        purpose: "scheduled",
        entry: HANDLER_ENTRIES.scheduled,
        sizing: config.functions.scheduled,
        vpc: inVpc,
        environment: {
          TABLE_NAME: mainTable.name,
          IDEMPOTENCY_TABLE_NAME: idempotencyTable.name,
          ...redisEnvironment,
          ...configuration,
          POWERTOOLS_SERVICE_NAME: "questline-scheduled",
          LOG_LEVEL: config.logLevel,
        },
        permissions: [...tableReadWrite(mainTable, "MainTable"), ...redisPassword, ...configurationRead],
      },
      parent,
    );
    // Webhook retries (and first attempts the stream missed), every minute, outside the VPC:
    // receivers are on the internet. It reads the table and writes only webhook partitions.
    const webhooks = new CoreFunction(
      resourceName(scope, "webhooks-fn"),
      {
        ...shared,
        purpose: "webhooks",
        entry: HANDLER_ENTRIES.webhooks,
        sizing: { memoryMb: config.functions.stream.memoryMb, timeoutSeconds: 60, reservedConcurrency: 1 },
        environment: {
          TABLE_NAME: mainTable.name,
          ...configuration,
          WEBHOOKS_ENABLED: "true",
          POWERTOOLS_SERVICE_NAME: "questline-webhooks",
          LOG_LEVEL: config.logLevel,
        },
        permissions: [...tableRead(mainTable, "MainTable"), ...webhookDeliveryAccess(mainTable), ...configurationRead],
      },
      parent,
    );
    this.functions = { api, stream, scheduled, webhooks };

    this.httpApi = new CoreHttpApi(
      resourceName(scope, "core-api"),
      {
        scope,
        handler: api.invokeTarget,
        throttlingBurstLimit: config.api.throttlingBurstLimit,
        throttlingRateLimit: config.api.throttlingRateLimit,
        p99LatencyAlarmMs: config.api.p99LatencyAlarmMs,
        logRetentionDays: config.logRetentionDays,
        kmsKeyArn,
        alarmTopicArn,
        customDomain: config.api.coreDomain,
        hostedZoneId: config.api.hostedZoneId,
      },
      parent,
    );

    if (!mainTable.streamArn) throw new Error("main table has no stream");
    new StreamIndexing(
      resourceName(scope, "stream-indexing"),
      {
        scope,
        streamArn: mainTable.streamArn,
        handler: stream.invokeTarget,
        failureQueueArn: streamFailures.queue.arn,
        settings: config.stream,
        enabled: args.isActiveRegion,
        alarmTopicArn,
      },
      parent,
    );

    new ScheduledJobs(
      resourceName(scope, "scheduled-jobs"),
      {
        scope,
        handlerArn: scheduled.invokeTarget.arn,
        failureQueueArn: scheduleFailures.queue.arn,
        kmsKeyArn,
        enabled: args.isActiveRegion,
      },
      parent,
    );

    new ScheduledJobs(
      resourceName(scope, "webhook-jobs"),
      {
        scope,
        name: "webhooks-every-minute",
        description: "Questline webhook runner (due deliveries and retries)",
        scheduleExpression: "rate(1 minute)",
        handlerArn: webhooks.invokeTarget.arn,
        failureQueueArn: scheduleFailures.queue.arn,
        kmsKeyArn,
        enabled: args.isActiveRegion,
      },
      parent,
    );

    this.declareCacheAndTableAlarms(scope, [mainTable, idempotencyTable], alarmTopicArn);
    this.registerOutputs({ apiEndpoint: this.httpApi.api.apiEndpoint });
  }

  private declareCacheAndTableAlarms(
    scope: NamingScope,
    tables: RegionalTable[],
    alarmTopicArn: pulumi.Input<string>,
  ): void {
    const alarm = (alarmName: string, props: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions">) =>
      new aws.cloudwatch.MetricAlarm(
        alarmName,
        {
          name: alarmName,
          period: 300,
          evaluationPeriods: 2,
          treatMissingData: "notBreaching",
          ...props,
          alarmActions: [alarmTopicArn],
          okActions: [alarmTopicArn],
        },
        { parent: this },
      );

    for (const [metricName, threshold] of [
      ["EngineCPUUtilization", 75],
      ["DatabaseMemoryUsagePercentage", 80],
    ] as const) {
      alarm(resourceName(scope, `memorydb-${metricName}`), {
        alarmDescription: `MemoryDB ${metricName} above ${threshold}%`,
        namespace: "AWS/MemoryDB",
        metricName,
        dimensions: { ClusterName: this.cache.cluster.name },
        statistic: "Average",
        threshold,
        comparisonOperator: "GreaterThanThreshold",
      });
    }
    tables.forEach((table, index) => {
      for (const metricName of ["ReadThrottleEvents", "WriteThrottleEvents"] as const) {
        alarm(resourceName(scope, `table${index}-${metricName}`), {
          alarmDescription: pulumi.interpolate`DynamoDB ${metricName} on ${table.name}`,
          namespace: "AWS/DynamoDB",
          metricName,
          dimensions: { TableName: table.name },
          statistic: "Sum",
          threshold: 0,
          comparisonOperator: "GreaterThanThreshold",
        });
      }
    });
  }
}
