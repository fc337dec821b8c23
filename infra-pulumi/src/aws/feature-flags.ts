import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  defaultFlagsDocument,
  type FlagsDocument,
  flagsDocumentJsonSchema,
  flagsDocumentSchema,
} from "@questline/aws-core/flags-catalog";
import { type NamingScope, resourceName } from "../naming.js";
import type { PolicyStatement } from "./policy-documents.js";

export interface FeatureFlagsArgs {
  scope: NamingScope;
  /** The stack's flags document (`questline:featureFlags`); every flag's default when unset. */
  document?: unknown;
}

/** Gradual by default: 20 % of the readers more every minute, then 5 minutes of bake time. */
export const FLAGS_DEPLOYMENT = {
  growthType: "LINEAR",
  growthFactor: 20,
  deploymentDurationInMinutes: 4,
  finalBakeTimeInMinutes: 5,
} as const;

/** The stack's flags document, validated with aws-core's schema (a bad one fails `pulumi preview`). */
export function flagsDocumentOf(document: unknown): FlagsDocument {
  if (document === undefined) return defaultFlagsDocument();
  const parsed = flagsDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`questline:featureFlags: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/**
 * The core's feature flags in AWS AppConfig, one region's copy: an application, the stage's
 * environment, a freeform JSON configuration profile validated by the JSON Schema of aws-core's
 * flags document (aws-core/src/flags/catalog.ts), a linear deployment strategy, and the stack's
 * document as a hosted configuration version deployed with it. The api Lambda reads it through
 * the AppConfig data API (Powertools' AppConfigProvider, cached for `flags/max-age-seconds`).
 */
export class FeatureFlags extends pulumi.ComponentResource {
  readonly application: aws.appconfig.Application;
  readonly environment: aws.appconfig.Environment;
  readonly profile: aws.appconfig.ConfigurationProfile;
  readonly strategy: aws.appconfig.DeploymentStrategy;
  readonly version: aws.appconfig.HostedConfigurationVersion;
  readonly deployment: aws.appconfig.Deployment;
  /** What the api Lambda's environment names (aws-core/src/flags/reader.ts). */
  readonly lambdaEnvironment: Record<string, pulumi.Input<string>>;
  /** StartConfigurationSession / GetLatestConfiguration on this profile in this environment only. */
  readonly readStatements: PolicyStatement[];

  constructor(name: string, args: FeatureFlagsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:FeatureFlags", name, {}, opts);
    const { scope } = args;
    const parent = { parent: this };
    const document = flagsDocumentOf(args.document);

    this.application = new aws.appconfig.Application(
      resourceName(scope, "flags-app"),
      { name: `${scope.project}-${scope.stack}`, description: "Questline feature flags (aws-core/src/flags)" },
      parent,
    );
    this.environment = new aws.appconfig.Environment(
      resourceName(scope, "flags-env"),
      { applicationId: this.application.id, name: scope.stack, description: `Stage ${scope.stack}` },
      parent,
    );
    this.profile = new aws.appconfig.ConfigurationProfile(
      resourceName(scope, "flags-profile"),
      {
        applicationId: this.application.id,
        name: "feature-flags",
        description: "The flags document: per flag enabled, rolloutPercent, allow and deny lists",
        locationUri: "hosted",
        type: "AWS.Freeform",
        validators: [{ type: "JSON_SCHEMA", content: JSON.stringify(flagsDocumentJsonSchema()) }],
      },
      parent,
    );
    this.strategy = new aws.appconfig.DeploymentStrategy(
      resourceName(scope, "flags-linear"),
      {
        name: resourceName(scope, "flags-linear"),
        description: "20 % of the readers more every minute, then 5 minutes of bake time",
        replicateTo: "NONE",
        ...FLAGS_DEPLOYMENT,
      },
      parent,
    );
    this.version = new aws.appconfig.HostedConfigurationVersion(
      resourceName(scope, "flags-version"),
      {
        applicationId: this.application.id,
        configurationProfileId: this.profile.configurationProfileId,
        contentType: "application/json",
        content: JSON.stringify(document),
        description: "The stack's flags document (questline:featureFlags, else every flag's default)",
      },
      parent,
    );
    this.deployment = new aws.appconfig.Deployment(
      resourceName(scope, "flags-deployment"),
      {
        applicationId: this.application.id,
        environmentId: this.environment.environmentId,
        configurationProfileId: this.profile.configurationProfileId,
        configurationVersion: this.version.versionNumber.apply(String),
        deploymentStrategyId: this.strategy.id,
        description: "Deploys the stack's flags document",
      },
      parent,
    );

    this.lambdaEnvironment = {
      APPCONFIG_APPLICATION: this.application.id,
      APPCONFIG_ENVIRONMENT: this.environment.environmentId,
      APPCONFIG_FLAGS_PROFILE: this.profile.configurationProfileId,
    };
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    this.readStatements = [
      {
        Sid: "ReadFeatureFlags",
        Effect: "Allow",
        Action: ["appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration"],
        Resource: [
          pulumi.interpolate`arn:aws:appconfig:${scope.region}:${accountId}:application/${this.application.id}/environment/${this.environment.environmentId}/configuration/${this.profile.configurationProfileId}`,
        ],
      },
    ];
    this.registerOutputs({ applicationId: this.application.id });
  }
}
