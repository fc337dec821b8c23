import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config.js";
import { type NamingScope, resourceName } from "../naming.js";
import { type RegionalTable, tableRead } from "./access-statements.js";
import { CoreFunction } from "./core-function.js";
import { HANDLER_ENTRIES } from "./handler-entries.js";

export interface IdentityArgs {
  scope: NamingScope;
  config: PlatformConfig;
  mainTable: RegionalTable;
  kmsKeyArn: pulumi.Input<string>;
  alarmTopicArn: pulumi.Input<string>;
}

/** OAuth scopes, as `<resource server>/<scope>`. */
export const RESOURCE_SERVER_SCOPES = { app: ["read", "write"], dashboard: ["read", "write"] } as const;

const TOKEN_LIFETIMES = {
  accessTokenValidity: 1,
  idTokenValidity: 1,
  refreshTokenValidity: 30,
  tokenValidityUnits: { accessToken: "hours", idToken: "hours", refreshToken: "days" },
};

/**
 * Cognito: the user pool (with the pre-token-generation trigger that adds
 * custom:workspace_id/account_id/user_id/role/context), the `app` and `dashboard` resource
 * servers, the three app clients and a WAF web ACL with rate-based rules on the pool.
 */
export class Identity extends pulumi.ComponentResource {
  readonly userPool: aws.cognito.UserPool;
  readonly clients: {
    app: aws.cognito.UserPoolClient;
    dashboard: aws.cognito.UserPoolClient;
    machine: aws.cognito.UserPoolClient;
  };
  readonly issuer: pulumi.Output<string>;
  readonly webAcl: aws.wafv2.WebAcl;

  constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:Identity", name, {}, opts);
    const { scope, config } = args;
    const parent = { parent: this };
    const poolName = resourceName(scope, "users");

    const preToken = new CoreFunction(
      resourceName(scope, "pre-token-fn"),
      {
        scope,
        purpose: "pre-token",
        entry: HANDLER_ENTRIES.preToken,
        repoRoot: config.repoRoot,
        skipBundling: config.skipBundling,
        sizing: config.functions.preToken,
        logRetentionDays: config.logRetentionDays,
        kmsKeyArn: args.kmsKeyArn,
        alarmTopicArn: args.alarmTopicArn,
        environment: {
          TABLE_NAME: args.mainTable.name,
          POWERTOOLS_SERVICE_NAME: "questline-pre-token",
          LOG_LEVEL: config.logLevel,
        },
        permissions: tableRead(args.mainTable, "LookUpMembership"),
      },
      parent,
    );

    this.userPool = new aws.cognito.UserPool(
      poolName,
      {
        name: poolName,
        userPoolTier: "ESSENTIALS",
        usernameAttributes: ["email"],
        autoVerifiedAttributes: ["email"],
        mfaConfiguration: "OPTIONAL",
        softwareTokenMfaConfiguration: { enabled: true },
        passwordPolicy: {
          minimumLength: 12,
          requireLowercase: true,
          requireUppercase: true,
          requireNumbers: true,
          requireSymbols: false,
          temporaryPasswordValidityDays: 3,
        },
        accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
        deletionProtection: config.deletionProtection ? "ACTIVE" : "INACTIVE",
        // V3_0 also fires for client-credentials (M2M) tokens.
        lambdaConfig: { preTokenGenerationConfig: { lambdaArn: preToken.invokeTarget.arn, lambdaVersion: "V3_0" } },
      },
      { parent: this, protect: config.deletionProtection },
    );

    new aws.lambda.Permission(
      `${poolName}-pre-token-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: preToken.invokeTarget.name,
        qualifier: preToken.invokeTarget.qualifier,
        principal: "cognito-idp.amazonaws.com",
        sourceArn: this.userPool.arn,
      },
      parent,
    );

    new aws.cognito.UserPoolDomain(
      `${poolName}-domain`,
      {
        domain: config.cognito.domainPrefix,
        userPoolId: this.userPool.id,
      },
      parent,
    );

    const resourceServers = Object.entries(RESOURCE_SERVER_SCOPES).map(
      ([identifier, scopes]) =>
        new aws.cognito.ResourceServer(
          `${poolName}-${identifier}-scopes`,
          {
            userPoolId: this.userPool.id,
            identifier,
            name: `Questline ${identifier} API`,
            scopes: scopes.map((scopeName) => ({
              scopeName,
              scopeDescription: `${scopeName} access to the ${identifier} API`,
            })),
          },
          parent,
        ),
    );

    const interactiveClient = (context: "app" | "dashboard") =>
      new aws.cognito.UserPoolClient(
        `${poolName}-${context}-client`,
        {
          name: resourceName(scope, `${context}-client`),
          userPoolId: this.userPool.id,
          generateSecret: false,
          allowedOauthFlowsUserPoolClient: true,
          allowedOauthFlows: ["code"],
          allowedOauthScopes: ["openid", "email", `${context}/read`, `${context}/write`],
          supportedIdentityProviders: ["COGNITO"],
          callbackUrls: config.cognito.callbackUrls,
          logoutUrls: config.cognito.logoutUrls,
          explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          preventUserExistenceErrors: "ENABLED",
          enableTokenRevocation: true,
          ...TOKEN_LIFETIMES,
        },
        { parent: this, dependsOn: resourceServers },
      );

    this.clients = {
      app: interactiveClient("app"),
      dashboard: interactiveClient("dashboard"),
      machine: new aws.cognito.UserPoolClient(
        `${poolName}-m2m-client`,
        {
          name: resourceName(scope, "m2m-client"),
          userPoolId: this.userPool.id,
          generateSecret: true,
          allowedOauthFlowsUserPoolClient: true,
          allowedOauthFlows: ["client_credentials"],
          allowedOauthScopes: ["app/read", "app/write"],
          supportedIdentityProviders: ["COGNITO"],
          explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
          enableTokenRevocation: true,
          ...TOKEN_LIFETIMES,
        },
        { parent: this, dependsOn: resourceServers },
      ),
    };
    this.issuer = pulumi.interpolate`https://cognito-idp.${scope.region}.amazonaws.com/${this.userPool.id}`;

    this.webAcl = this.declareWebAcl(scope, config.waf);
    new aws.wafv2.WebAclAssociation(
      `${poolName}-waf`,
      {
        resourceArn: this.userPool.arn,
        webAclArn: this.webAcl.arn,
      },
      parent,
    );

    this.registerOutputs({ issuer: this.issuer, userPoolId: this.userPool.id });
  }

  private declareWebAcl(scope: NamingScope, waf: PlatformConfig["waf"]): aws.wafv2.WebAcl {
    const aclName = resourceName(scope, "waf");
    const visibility = (metricName: string) => ({
      cloudwatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    return new aws.wafv2.WebAcl(
      aclName,
      {
        name: aclName,
        scope: "REGIONAL",
        description: "Rate limits and managed protections in front of Questline's public AWS endpoints",
        defaultAction: { allow: {} },
        visibilityConfig: visibility(aclName),
        rules: [
          {
            name: "rate-limit-per-ip",
            priority: 0,
            action: { block: {} },
            statement: {
              rateBasedStatement: {
                limit: waf.requestsPer5MinutesPerIp,
                aggregateKeyType: "IP",
                evaluationWindowSec: 300,
              },
            },
            visibilityConfig: visibility(`${aclName}-rate-ip`),
          },
          {
            name: "rate-limit-token-endpoint",
            priority: 1,
            action: { block: {} },
            statement: {
              rateBasedStatement: {
                limit: waf.tokenRequestsPer5MinutesPerIp,
                aggregateKeyType: "IP",
                evaluationWindowSec: 300,
                scopeDownStatement: {
                  byteMatchStatement: {
                    fieldToMatch: { uriPath: {} },
                    positionalConstraint: "STARTS_WITH",
                    searchString: "/oauth2/token",
                    textTransformations: [{ priority: 0, type: "LOWERCASE" }],
                  },
                },
              },
            },
            visibilityConfig: visibility(`${aclName}-rate-token`),
          },
          {
            name: "aws-ip-reputation",
            priority: 2,
            overrideAction: { none: {} },
            statement: {
              managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesAmazonIpReputationList" },
            },
            visibilityConfig: visibility(`${aclName}-ip-reputation`),
          },
        ],
      },
      { parent: this },
    );
  }
}
