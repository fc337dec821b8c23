import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type NamingScope, resourceName } from "../naming.js";
import { policyDocument } from "./policy-documents.js";

export interface EncryptionKeysArgs {
  primary: NamingScope;
  replica: NamingScope;
  accountId: pulumi.Input<string>;
  replicaProvider: aws.Provider;
}

/** Services that encrypt our data at rest with the key on our behalf. */
function keyPolicy(accountId: pulumi.Input<string>, region: string): pulumi.Output<string> {
  return policyDocument([
    {
      Sid: "AccountAdministers",
      Effect: "Allow",
      Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "LogsAndAlarmsEncrypt",
      Effect: "Allow",
      Principal: {
        Service: [
          `logs.${region}.amazonaws.com`,
          "cloudwatch.amazonaws.com",
          "events.amazonaws.com",
          "scheduler.amazonaws.com",
        ],
      },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
}

/**
 * One customer-managed, multi-region KMS key: the primary in the primary region and its
 * replica in the replica region, so the global table, queues, secrets, logs, MemoryDB and
 * backups in both regions are encrypted with "the same" key.
 */
export class EncryptionKeys extends pulumi.ComponentResource {
  readonly keyArnByRegion: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: EncryptionKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:EncryptionKeys", name, {}, opts);
    const primaryKey = new aws.kms.Key(
      resourceName(args.primary, "data-key"),
      {
        description: `${resourceName(args.primary, "data-key")}: Questline data at rest`,
        multiRegion: true,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: keyPolicy(args.accountId, args.primary.region),
      },
      { parent: this },
    );
    new aws.kms.Alias(
      resourceName(args.primary, "data-key-alias"),
      {
        name: `alias/${resourceName(args.primary, "data")}`,
        targetKeyId: primaryKey.keyId,
      },
      { parent: this },
    );

    const replicaKey = new aws.kms.ReplicaKey(
      resourceName(args.replica, "data-key"),
      {
        description: `${resourceName(args.replica, "data-key")}: replica of the Questline data key`,
        primaryKeyArn: primaryKey.arn,
        deletionWindowInDays: 30,
        policy: keyPolicy(args.accountId, args.replica.region),
      },
      { parent: this, provider: args.replicaProvider },
    );
    new aws.kms.Alias(
      resourceName(args.replica, "data-key-alias"),
      {
        name: `alias/${resourceName(args.replica, "data")}`,
        targetKeyId: replicaKey.keyId,
      },
      { parent: this, provider: args.replicaProvider },
    );

    this.keyArnByRegion = { [args.primary.region]: primaryKey.arn, [args.replica.region]: replicaKey.arn };
    this.registerOutputs({ keyArnByRegion: this.keyArnByRegion });
  }
}
