import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type NamingScope, resourceName } from "../naming.js";
import { policyDocument } from "./policy-documents.js";

export interface EdgePrincipalArgs {
  scope: NamingScope;
  /** execute-api resource ARNs of the core API in every region. */
  invokeResourceArns: pulumi.Input<string>[];
  kmsKeyArn: pulumi.Input<string>;
}

/**
 * The IAM user whose access key the Cloudflare workers sign with (SigV4, execute-api). It may
 * do exactly one thing: invoke the core API. The key is kept in Secrets Manager and handed to
 * the workers as secrets.
 */
export class EdgePrincipal extends pulumi.ComponentResource {
  readonly accessKeyId: pulumi.Output<string>;
  readonly secretAccessKey: pulumi.Output<string>;
  readonly credentialsSecret: aws.secretsmanager.Secret;

  constructor(name: string, args: EdgePrincipalArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:EdgePrincipal", name, {}, opts);
    const userName = resourceName(args.scope, "edge");
    const parent = { parent: this };
    const user = new aws.iam.User(userName, { name: userName, path: "/questline/" }, parent);
    new aws.iam.UserPolicy(
      `${userName}-invoke-core`,
      {
        user: user.name,
        policy: policyDocument([
          {
            Sid: "InvokeCoreApiOnly",
            Effect: "Allow",
            Action: ["execute-api:Invoke"],
            Resource: args.invokeResourceArns,
          },
        ]),
      },
      parent,
    );
    const accessKey = new aws.iam.AccessKey(`${userName}-key`, { user: user.name }, parent);
    this.accessKeyId = accessKey.id;
    this.secretAccessKey = pulumi.secret(accessKey.secret);

    this.credentialsSecret = new aws.secretsmanager.Secret(
      `${userName}-credentials`,
      {
        name: resourceName(args.scope, "edge-credentials"),
        description: "Access key the Cloudflare workers sign core API requests with",
        kmsKeyId: args.kmsKeyArn,
      },
      parent,
    );
    new aws.secretsmanager.SecretVersion(
      `${userName}-credentials-value`,
      {
        secretId: this.credentialsSecret.id,
        secretString: pulumi.jsonStringify({ accessKeyId: this.accessKeyId, secretAccessKey: this.secretAccessKey }),
      },
      parent,
    );
    this.registerOutputs({ accessKeyId: this.accessKeyId, credentialsSecretArn: this.credentialsSecret.arn });
  }
}
