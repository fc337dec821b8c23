import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type NamingScope, resourceName } from "../naming.js";

export interface CoreHttpApiArgs {
  scope: NamingScope;
  /** The `live` alias of the api function. */
  handler: {
    arn: pulumi.Input<string>;
    invokeArn: pulumi.Input<string>;
    name: pulumi.Input<string>;
    qualifier: pulumi.Input<string>;
  };
  throttlingBurstLimit: number;
  throttlingRateLimit: number;
  p99LatencyAlarmMs: number;
  logRetentionDays: number;
  kmsKeyArn: pulumi.Input<string>;
  alarmTopicArn: pulumi.Input<string>;
  /** Failover hostname served by this region's API (same name in both regions). */
  customDomain: string;
  hostedZoneId: string;
}

/** The prefixes the edge forwards (architecture.md, "API prefixes"). */
export const CORE_ROUTE_KEYS = ["ANY /app/{proxy+}", "ANY /dashboard/{proxy+}"] as const;

/**
 * The requests only the media worker makes: creating and deleting media records (the core
 * accepts them from `MEDIA_WRITER_ARNS` alone). IAM evaluates an HTTP API call against
 * `<executionArn>/<stage>/<METHOD>/<path>` of the request, so these are its only grants.
 */
export const MEDIA_WRITE_REQUESTS = ["POST/dashboard/media", "DELETE/dashboard/media/*"] as const;

/**
 * The core's HTTP API: every route requires IAM (SigV4) authorization, the stage throttles
 * by default and writes JSON access logs, and a regional custom domain lets Route 53 fail
 * over between regions. The 5xx alarm doubles as the region's health signal.
 */
export class CoreHttpApi extends pulumi.ComponentResource {
  readonly api: aws.apigatewayv2.Api;
  readonly stage: aws.apigatewayv2.Stage;
  readonly domainName: aws.apigatewayv2.DomainName;
  readonly serverErrorAlarm: aws.cloudwatch.MetricAlarm;
  /** arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/*\/* — what the edge may invoke. */
  readonly invokeResourceArn: pulumi.Output<string>;
  /** execute-api resources of the media record writes (MEDIA_WRITE_REQUESTS), any stage. */
  readonly mediaWriteResourceArns: pulumi.Output<string>[];

  constructor(name: string, args: CoreHttpApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:CoreHttpApi", name, {}, opts);
    const apiName = resourceName(args.scope, "core-api");
    const parent = { parent: this };

    this.api = new aws.apigatewayv2.Api(
      apiName,
      {
        name: apiName,
        protocolType: "HTTP",
        description: "Questline AWS core (SigV4 only; called by the Cloudflare edge)",
      },
      parent,
    );

    const integration = new aws.apigatewayv2.Integration(
      `${apiName}-lambda`,
      {
        apiId: this.api.id,
        integrationType: "AWS_PROXY",
        integrationUri: args.handler.invokeArn,
        payloadFormatVersion: "2.0",
        timeoutMilliseconds: 29_000,
      },
      parent,
    );

    for (const routeKey of CORE_ROUTE_KEYS) {
      const slug = routeKey.split(" ")[1]?.split("/")[1] ?? "route";
      new aws.apigatewayv2.Route(
        `${apiName}-${slug}`,
        {
          apiId: this.api.id,
          routeKey,
          authorizationType: "AWS_IAM",
          target: pulumi.interpolate`integrations/${integration.id}`,
        },
        parent,
      );
    }

    const accessLogs = new aws.cloudwatch.LogGroup(
      `${apiName}-access-logs`,
      {
        name: `/aws/apigateway/${apiName}`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.kmsKeyArn,
      },
      parent,
    );

    this.stage = new aws.apigatewayv2.Stage(
      `${apiName}-stage`,
      {
        apiId: this.api.id,
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingBurstLimit: args.throttlingBurstLimit,
          throttlingRateLimit: args.throttlingRateLimit,
          detailedMetricsEnabled: true,
        },
        accessLogSettings: {
          destinationArn: accessLogs.arn,
          format: JSON.stringify({
            requestId: "$context.requestId",
            ip: "$context.identity.sourceIp",
            caller: "$context.identity.userArn",
            requestTime: "$context.requestTime",
            routeKey: "$context.routeKey",
            path: "$context.path",
            status: "$context.status",
            latencyMs: "$context.responseLatency",
            integrationError: "$context.integrationErrorMessage",
            authorizerError: "$context.authorizer.error",
          }),
        },
      },
      parent,
    );

    this.invokeResourceArn = pulumi.interpolate`${this.api.executionArn}/*/*`;
    this.mediaWriteResourceArns = MEDIA_WRITE_REQUESTS.map(
      (request) => pulumi.interpolate`${this.api.executionArn}/*/${request}`,
    );
    new aws.lambda.Permission(
      `${apiName}-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: args.handler.name,
        qualifier: args.handler.qualifier,
        principal: "apigateway.amazonaws.com",
        sourceArn: this.invokeResourceArn,
      },
      parent,
    );

    const certificate = new aws.acm.Certificate(
      `${apiName}-cert`,
      {
        domainName: args.customDomain,
        validationMethod: "DNS",
      },
      parent,
    );
    // A single-name certificate has exactly one validation record.
    const validationOption = certificate.domainValidationOptions.apply((options) => {
      const option = options[0];
      if (!option) throw new Error(`no DNS validation option for ${args.customDomain}`);
      return option;
    });
    const validationRecord = new aws.route53.Record(
      `${apiName}-cert-validation`,
      {
        zoneId: args.hostedZoneId,
        name: validationOption.resourceRecordName,
        type: validationOption.resourceRecordType,
        records: [validationOption.resourceRecordValue],
        ttl: 300,
        // Both regions' certificates for the same name share one validation record.
        allowOverwrite: true,
      },
      parent,
    );
    const validation = new aws.acm.CertificateValidation(
      `${apiName}-cert-validated`,
      {
        certificateArn: certificate.arn,
        validationRecordFqdns: [validationRecord.fqdn],
      },
      parent,
    );

    this.domainName = new aws.apigatewayv2.DomainName(
      `${apiName}-domain`,
      {
        domainName: args.customDomain,
        domainNameConfiguration: {
          certificateArn: validation.certificateArn,
          endpointType: "REGIONAL",
          securityPolicy: "TLS_1_2",
        },
      },
      parent,
    );
    new aws.apigatewayv2.ApiMapping(
      `${apiName}-mapping`,
      {
        apiId: this.api.id,
        domainName: this.domainName.id,
        stage: this.stage.id,
      },
      parent,
    );

    const dimensions = { ApiId: this.api.id, Stage: this.stage.name };
    this.serverErrorAlarm = new aws.cloudwatch.MetricAlarm(
      `${apiName}-5xx`,
      {
        name: `${apiName}-5xx`,
        alarmDescription: `${apiName}: 5xx responses (also the Route 53 health signal for this region)`,
        namespace: "AWS/ApiGateway",
        metricName: "5xx",
        dimensions,
        statistic: "Sum",
        period: 60,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        threshold: 10,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [args.alarmTopicArn],
        okActions: [args.alarmTopicArn],
      },
      parent,
    );
    new aws.cloudwatch.MetricAlarm(
      `${apiName}-p99-latency`,
      {
        name: `${apiName}-p99-latency`,
        alarmDescription: `${apiName}: p99 latency above ${args.p99LatencyAlarmMs} ms`,
        namespace: "AWS/ApiGateway",
        metricName: "Latency",
        dimensions,
        extendedStatistic: "p99",
        period: 300,
        evaluationPeriods: 3,
        threshold: args.p99LatencyAlarmMs,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [args.alarmTopicArn],
        okActions: [args.alarmTopicArn],
      },
      parent,
    );

    this.registerOutputs({ apiEndpoint: this.api.apiEndpoint, invokeResourceArn: this.invokeResourceArn });
  }
}
