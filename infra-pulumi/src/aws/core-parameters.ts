import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  CONFIG_PARAMETERS,
  type ConfigKey,
  coreConfigSchema,
  parameterText,
  stageParameterPath,
} from "@questline/aws-core/config-parameters";
import { type NamingScope, resourceName } from "../naming.js";
import type { PolicyStatement } from "./policy-documents.js";

export interface CoreParametersArgs {
  scope: NamingScope;
  /** Stack overrides by parameter name (`questline:coreParameters`), e.g. `{ "indexer/timeout-ms": "5000" }`. */
  overrides: Record<string, string>;
  /** Values the platform knows (e.g. the indexer's URL), by parameter name; overrides win. */
  derived: Record<string, string>;
}

const KEY_BY_NAME = new Map(
  (Object.entries(CONFIG_PARAMETERS) as [ConfigKey, (typeof CONFIG_PARAMETERS)[ConfigKey]][]).map(([key, entry]) => [
    entry.name,
    key,
  ]),
);

/**
 * The values of a stage's core parameters: every parameter aws-core knows (its schema lives in
 * aws-core/src/config/parameters.ts), the stack's override or the platform's value, else the
 * default. Validated with aws-core's own schema, so `pulumi preview` fails on a value the
 * Lambdas would refuse at init.
 */
export function coreParameterValues(args: Omit<CoreParametersArgs, "scope">): Record<string, string> {
  const raw: Partial<Record<ConfigKey, string>> = {};
  for (const [name, value] of Object.entries({ ...args.derived, ...args.overrides })) {
    const key = KEY_BY_NAME.get(name);
    if (!key) {
      throw new Error(
        `questline:coreParameters: unknown parameter ${name} (known: ${[...KEY_BY_NAME.keys()].join(", ")})`,
      );
    }
    raw[key] = value;
  }
  const parsed = coreConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${CONFIG_PARAMETERS[issue.path[0] as ConfigKey]?.name ?? String(issue.path[0])}: ${issue.message}`,
    );
    throw new Error(`questline:coreParameters: ${problems.join("; ")}`);
  }
  const values: Record<string, string> = {};
  for (const [name, key] of KEY_BY_NAME) {
    const text = parameterText(parsed.data[key]);
    if (text !== undefined) values[name] = text;
  }
  return values;
}

/**
 * The stage's non-secret core configuration in SSM Parameter Store, one region's copy: a
 * `String` parameter per setting under `/questline/<stage>/`, read by the Lambdas at init through
 * Powertools (aws-core/src/config). Secrets are not here (Secrets Manager, encrypted environment).
 */
export class CoreParameters extends pulumi.ComponentResource {
  /** `/questline/<stage>`: the Lambdas' CONFIG_PARAMETER_PATH. */
  readonly path: string;
  readonly parameters: aws.ssm.Parameter[];
  /** What a Lambda needs to read them: GetParametersByPath on this path only. */
  readonly readStatements: PolicyStatement[];

  constructor(name: string, args: CoreParametersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:CoreParameters", name, {}, opts);
    this.path = stageParameterPath(args.scope.stack, args.scope.project);
    const values = coreParameterValues(args);
    this.parameters = Object.entries(values).map(([parameterName, value]) => {
      const key = KEY_BY_NAME.get(parameterName) as ConfigKey;
      return new aws.ssm.Parameter(
        resourceName(args.scope, `param-${parameterName.replaceAll("/", "-")}`),
        {
          name: `${this.path}/${parameterName}`,
          type: aws.ssm.ParameterType.String,
          tier: "Standard",
          value,
          description: CONFIG_PARAMETERS[key].description.slice(0, 1024),
        },
        { parent: this },
      );
    });

    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const pathArn = pulumi.interpolate`arn:aws:ssm:${args.scope.region}:${accountId}:parameter${this.path}`;
    // String parameters only: no SecureString, so no kms:Decrypt.
    this.readStatements = [
      {
        Sid: "ReadStageConfiguration",
        Effect: "Allow",
        Action: ["ssm:GetParametersByPath"],
        Resource: [pathArn, pulumi.interpolate`${pathArn}/*`],
      },
    ];
    this.registerOutputs({ path: this.path });
  }
}
