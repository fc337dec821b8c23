import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type NamingScope, resourceName } from "../naming.js";
import { policyDocument } from "./policy-documents.js";

export interface EdgePrincipalArgs {
  scope: NamingScope;
  /** Which worker signs with it: "edge" (the api worker) or "media" (the media worker). */
  purpose: "edge" | "media";
  /** What the Secrets Manager copy says the key is for. */
  description: string;
  kmsKeyArn: pulumi.Input<string>;
}

/**
 * An IAM user whose access key a Cloudflare worker signs with (SigV4, execute-api). It may do
 * exactly one thing: invoke the core API, on the resources given to `allowInvoke`. The key is
 * kept in Secrets Manager and handed to the worker as secrets.
 *
 * The user exists before the core APIs do (the api Lambda names the media principal in
 * `MEDIA_WRITER_ARNS`, and the APIs need that Lambda), so its policy is attached afterwards.
 */
export class EdgePrincipal extends pulumi.ComponentResource {
  readonly userArn: pulumi.Output<string>;
  readonly accessKeyId: pulumi.Output<string>;
  readonly secretAccessKey: pulumi.Output<string>;
  readonly credentialsSecret: aws.secretsmanager.Secret;
  private readonly user: aws.iam.User;
  private readonly userName: string;

  constructor(name: string, args: EdgePrincipalArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:EdgePrincipal", name, {}, opts);
    this.userName = resourceName(args.scope, args.purpose);
    const parent = { parent: this };
    this.user = new aws.iam.User(this.userName, { name: this.userName, path: "/questline/" }, parent);
    this.userArn = this.user.arn;
    const accessKey = new aws.iam.AccessKey(`${this.userName}-key`, { user: this.user.name }, parent);
    this.accessKeyId = accessKey.id;
    this.secretAccessKey = pulumi.secret(accessKey.secret);

    this.credentialsSecret = new aws.secretsmanager.Secret(
      `${this.userName}-credentials`,
      {
        name: resourceName(args.scope, `${args.purpose}-credentials`),
        description: args.description,
        kmsKeyId: args.kmsKeyArn,
      },
      parent,
    );
    new aws.secretsmanager.SecretVersion(
      `${this.userName}-credentials-value`,
      {
        secretId: this.credentialsSecret.id,
        secretString: pulumi.jsonStringify({ accessKeyId: this.accessKeyId, secretAccessKey: this.secretAccessKey }),
      },
      parent,
    );
    this.registerOutputs({
      userArn: this.userArn,
      accessKeyId: this.accessKeyId,
      credentialsSecretArn: this.credentialsSecret.arn,
    });
  }

  /** The principal's only permission: execute-api:Invoke on these execute-api resource ARNs. */
  allowInvoke(sid: string, resourceArns: pulumi.Input<string>[]): aws.iam.UserPolicy {
    return new aws.iam.UserPolicy(
      `${this.userName}-invoke-core`,
      {
        user: this.user.name,
        policy: policyDocument([{ Sid: sid, Effect: "Allow", Action: ["execute-api:Invoke"], Resource: resourceArns }]),
      },
      { parent: this },
    );
  }
}
