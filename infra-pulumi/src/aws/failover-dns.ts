import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type NamingScope, resourceName } from "../naming.js";
import type { CoreHttpApi } from "./core-http-api.js";

export interface RegionalEndpoint {
  region: string;
  api: CoreHttpApi;
}

export interface FailoverDnsArgs {
  scope: NamingScope;
  hostedZoneId: string;
  coreDomain: string;
  /** Takes traffic while healthy. */
  primary: RegionalEndpoint;
  secondary: RegionalEndpoint;
}

/**
 * Route 53 failover between the regions' core APIs. The API accepts only SigV4 requests, so an
 * HTTP probe cannot tell healthy from unauthorised; each region's health check follows that
 * region's API 5xx alarm instead (CloudWatch-metric health check).
 */
export class FailoverDns extends pulumi.ComponentResource {
  readonly healthCheckIds: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: FailoverDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:FailoverDns", name, {}, opts);
    const endpoints = [
      { role: "PRIMARY", endpoint: args.primary },
      { role: "SECONDARY", endpoint: args.secondary },
    ] as const;
    for (const { role, endpoint } of endpoints) {
      const regionScope = { ...args.scope, region: endpoint.region };
      const healthCheck = new aws.route53.HealthCheck(
        resourceName(regionScope, "core-health"),
        {
          type: "CLOUDWATCH_METRIC",
          cloudwatchAlarmName: endpoint.api.serverErrorAlarm.name,
          cloudwatchAlarmRegion: endpoint.region,
          insufficientDataHealthStatus: "LastKnownStatus",
          referenceName: resourceName(regionScope, "core").slice(0, 64),
          tags: { Name: resourceName(regionScope, "core-health") },
        },
        { parent: this },
      );
      this.healthCheckIds[endpoint.region] = healthCheck.id;

      const target = endpoint.api.domainName.domainNameConfiguration;
      new aws.route53.Record(
        resourceName(regionScope, "core-failover"),
        {
          zoneId: args.hostedZoneId,
          name: args.coreDomain,
          type: "A",
          setIdentifier: resourceName(regionScope, "core"),
          failoverRoutingPolicies: [{ type: role }],
          healthCheckId: healthCheck.id,
          aliases: [
            {
              name: target.targetDomainName,
              zoneId: target.hostedZoneId,
              evaluateTargetHealth: true,
            },
          ],
        },
        { parent: this },
      );
    }
    this.registerOutputs({ healthCheckIds: this.healthCheckIds });
  }
}
