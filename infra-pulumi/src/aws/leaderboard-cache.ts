import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type NamingScope, resourceName } from "../naming.js";

export interface LeaderboardCacheArgs {
  scope: NamingScope;
  vpcId: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<string>[];
  /** The only security group allowed to connect (the in-VPC Lambdas). */
  clientSecurityGroupId: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  nodeType: string;
  numShards: number;
  replicasPerShard: number;
  engineVersion: string;
  password: pulumi.Input<string>;
}

const REDIS_PORT = 6379;

/**
 * MemoryDB (Redis OSS) for real-time leaderboards: private subnets only, TLS, an ACL user
 * with a password kept in Secrets Manager, and a security group that admits only the
 * Lambdas' security group on the Redis port.
 */
export class LeaderboardCache extends pulumi.ComponentResource {
  readonly cluster: aws.memorydb.Cluster;
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly passwordSecret: aws.secretsmanager.Secret;
  readonly userName: string;
  /** rediss://<user>@<endpoint>:<port> — the password comes from REDIS_PASSWORD_SECRET_ARN. */
  readonly redisUrl: pulumi.Output<string>;

  constructor(name: string, args: LeaderboardCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:LeaderboardCache", name, {}, opts);
    const { scope } = args;
    const parent = { parent: this };
    this.userName = resourceName(scope, "core");

    this.securityGroup = new aws.ec2.SecurityGroup(
      resourceName(scope, "memorydb-sg"),
      {
        name: resourceName(scope, "memorydb-sg"),
        description: "MemoryDB: Redis TLS from the Questline Lambdas only",
        vpcId: args.vpcId,
        tags: { Name: resourceName(scope, "memorydb-sg") },
      },
      parent,
    );
    new aws.vpc.SecurityGroupIngressRule(
      resourceName(scope, "memorydb-from-lambda"),
      {
        securityGroupId: this.securityGroup.id,
        referencedSecurityGroupId: args.clientSecurityGroupId,
        ipProtocol: "tcp",
        fromPort: REDIS_PORT,
        toPort: REDIS_PORT,
        description: "Redis from Questline Lambdas",
      },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      resourceName(scope, "lambda-to-memorydb"),
      {
        securityGroupId: args.clientSecurityGroupId,
        referencedSecurityGroupId: this.securityGroup.id,
        ipProtocol: "tcp",
        fromPort: REDIS_PORT,
        toPort: REDIS_PORT,
        description: "Redis to MemoryDB",
      },
      parent,
    );

    const subnetGroup = new aws.memorydb.SubnetGroup(
      resourceName(scope, "memorydb-subnets"),
      {
        name: resourceName(scope, "memorydb-subnets"),
        subnetIds: args.privateSubnetIds,
      },
      parent,
    );

    this.passwordSecret = new aws.secretsmanager.Secret(
      resourceName(scope, "redis-password"),
      {
        name: resourceName(scope, "redis-password"),
        description: "Password of the MemoryDB ACL user the Lambdas connect as",
        kmsKeyId: args.kmsKeyArn,
      },
      parent,
    );
    new aws.secretsmanager.SecretVersion(
      resourceName(scope, "redis-password-value"),
      {
        secretId: this.passwordSecret.id,
        secretString: args.password,
      },
      parent,
    );

    const user = new aws.memorydb.User(
      resourceName(scope, "memorydb-user"),
      {
        userName: this.userName,
        accessString: "on ~* &* +@all",
        authenticationMode: { type: "password", passwords: [args.password] },
      },
      parent,
    );
    const acl = new aws.memorydb.Acl(
      resourceName(scope, "memorydb-acl"),
      {
        name: resourceName(scope, "memorydb-acl"),
        userNames: [user.userName],
      },
      parent,
    );

    this.cluster = new aws.memorydb.Cluster(
      resourceName(scope, "memorydb"),
      {
        name: resourceName(scope, "lb").slice(0, 40),
        description: "Questline real-time leaderboards",
        engine: "redis",
        engineVersion: args.engineVersion,
        nodeType: args.nodeType,
        numShards: args.numShards,
        numReplicasPerShard: args.replicasPerShard,
        aclName: acl.name,
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [this.securityGroup.id],
        tlsEnabled: true,
        kmsKeyArn: args.kmsKeyArn,
        port: REDIS_PORT,
        snapshotRetentionLimit: 7,
        autoMinorVersionUpgrade: true,
      },
      parent,
    );

    this.redisUrl = pulumi.interpolate`rediss://${this.userName}@${this.cluster.clusterEndpoints.apply(
      (endpoints) => endpoints[0]?.address ?? "",
    )}:${REDIS_PORT}`;
    this.registerOutputs({ redisUrl: this.redisUrl, clusterName: this.cluster.name });
  }
}
