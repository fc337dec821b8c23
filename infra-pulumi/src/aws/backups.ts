import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type NamingScope, resourceName } from "../naming.js";
import { assumeRolePolicy } from "./policy-documents.js";

export interface BackupsArgs {
  primary: NamingScope;
  replica: NamingScope;
  replicaProvider: aws.Provider;
  keyArnByRegion: Record<string, pulumi.Input<string>>;
  tableArns: pulumi.Input<string>[];
  retentionDays: number;
  scheduleCron: string;
}

/**
 * AWS Backup on top of PITR: a daily plan with 35-day retention in an encrypted vault in the
 * primary region and a copy of every recovery point in the replica region's vault.
 */
export class Backups extends pulumi.ComponentResource {
  readonly plan: aws.backup.Plan;
  readonly primaryVault: aws.backup.Vault;
  readonly replicaVault: aws.backup.Vault;

  constructor(name: string, args: BackupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:Backups", name, {}, opts);
    const parent = { parent: this };
    const keyIn = (region: string) => {
      const key = args.keyArnByRegion[region];
      if (!key) throw new Error(`no KMS key for ${region}`);
      return key;
    };

    // Cross-region copies of DynamoDB recovery points need AWS Backup's advanced DynamoDB features.
    new aws.backup.RegionSettings(
      resourceName(args.primary, "backup-settings"),
      {
        resourceTypeOptInPreference: { DynamoDB: true },
        resourceTypeManagementPreference: { DynamoDB: true },
      },
      parent,
    );

    this.primaryVault = new aws.backup.Vault(
      resourceName(args.primary, "backup-vault"),
      {
        name: resourceName(args.primary, "backup-vault"),
        kmsKeyArn: keyIn(args.primary.region),
      },
      parent,
    );
    this.replicaVault = new aws.backup.Vault(
      resourceName(args.replica, "backup-vault"),
      {
        name: resourceName(args.replica, "backup-vault"),
        kmsKeyArn: keyIn(args.replica.region),
      },
      { parent: this, provider: args.replicaProvider },
    );

    this.plan = new aws.backup.Plan(
      resourceName(args.primary, "backup-plan"),
      {
        name: resourceName(args.primary, "backup-plan"),
        rules: [
          {
            ruleName: "daily",
            targetVaultName: this.primaryVault.name,
            schedule: args.scheduleCron,
            startWindow: 60,
            completionWindow: 180,
            lifecycle: { deleteAfter: args.retentionDays },
            copyActions: [
              { destinationVaultArn: this.replicaVault.arn, lifecycle: { deleteAfter: args.retentionDays } },
            ],
          },
        ],
      },
      parent,
    );

    const role = new aws.iam.Role(
      resourceName(args.primary, "backup-role"),
      {
        name: resourceName(args.primary, "backup-role"),
        assumeRolePolicy: assumeRolePolicy("backup.amazonaws.com"),
      },
      parent,
    );
    for (const policy of ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"]) {
      new aws.iam.RolePolicyAttachment(
        resourceName(args.primary, `backup-${policy}`),
        {
          role: role.name,
          policyArn: `arn:aws:iam::aws:policy/service-role/${policy}`,
        },
        parent,
      );
    }
    new aws.backup.Selection(
      resourceName(args.primary, "backup-tables"),
      {
        name: resourceName(args.primary, "backup-tables"),
        planId: this.plan.id,
        iamRoleArn: role.arn,
        resources: args.tableArns,
      },
      parent,
    );
    this.registerOutputs({ planId: this.plan.id, replicaVaultArn: this.replicaVault.arn });
  }
}
