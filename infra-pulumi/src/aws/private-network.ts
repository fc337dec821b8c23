import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type NamingScope, resourceName } from "../naming.js";

export interface PrivateNetworkArgs {
  scope: NamingScope;
  cidrBlock: string;
  /** AZ suffixes ("a", "b", …); at least two. */
  availabilityZoneSuffixes: string[];
}

/**
 * Interface endpoints the in-VPC Lambdas need (no NAT, no internet route): Secrets Manager
 * (Redis password), X-Ray, SSM (the stage's configuration parameters) and AppConfig's data API
 * (the feature flags).
 */
const INTERFACE_ENDPOINT_SERVICES = ["secretsmanager", "ssm", "xray", "appconfigdata"] as const;

/**
 * A VPC with private subnets only (one per AZ, at least two), no internet or NAT gateway,
 * a DynamoDB gateway endpoint and interface endpoints for Secrets Manager and X-Ray. The
 * Lambda security group is the only thing allowed to reach MemoryDB (see LeaderboardCache).
 */
export class PrivateNetwork extends pulumi.ComponentResource {
  readonly vpc: aws.ec2.Vpc;
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly lambdaSecurityGroup: aws.ec2.SecurityGroup;

  constructor(name: string, args: PrivateNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:PrivateNetwork", name, {}, opts);
    if (args.availabilityZoneSuffixes.length < 2)
      throw new Error("PrivateNetwork needs at least two availability zones");
    const { scope } = args;
    const parent = { parent: this };

    this.vpc = new aws.ec2.Vpc(
      resourceName(scope, "vpc"),
      {
        cidrBlock: args.cidrBlock,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: { Name: resourceName(scope, "vpc") },
      },
      parent,
    );

    const routeTable = new aws.ec2.RouteTable(
      resourceName(scope, "private-routes"),
      {
        vpcId: this.vpc.id,
        tags: { Name: resourceName(scope, "private-routes") },
      },
      parent,
    );

    const subnets = args.availabilityZoneSuffixes.map((suffix, index) => {
      const az = `${scope.region}${suffix}`;
      const subnet = new aws.ec2.Subnet(
        resourceName(scope, `private-${suffix}`),
        {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: subnetCidr(args.cidrBlock, index),
          mapPublicIpOnLaunch: false,
          tags: { Name: resourceName(scope, `private-${az}`), tier: "private" },
        },
        parent,
      );
      new aws.ec2.RouteTableAssociation(
        resourceName(scope, `private-${suffix}-routes`),
        {
          subnetId: subnet.id,
          routeTableId: routeTable.id,
        },
        parent,
      );
      return subnet;
    });
    this.privateSubnetIds = subnets.map((s) => s.id);

    this.lambdaSecurityGroup = new aws.ec2.SecurityGroup(
      resourceName(scope, "lambda-sg"),
      {
        name: resourceName(scope, "lambda-sg"),
        description: "Questline Lambdas: no inbound; outbound only to MemoryDB and AWS endpoints",
        vpcId: this.vpc.id,
        tags: { Name: resourceName(scope, "lambda-sg") },
      },
      parent,
    );

    const endpointSecurityGroup = new aws.ec2.SecurityGroup(
      resourceName(scope, "endpoints-sg"),
      {
        name: resourceName(scope, "endpoints-sg"),
        description: "Interface endpoints: HTTPS from the Lambdas only",
        vpcId: this.vpc.id,
        tags: { Name: resourceName(scope, "endpoints-sg") },
      },
      parent,
    );
    new aws.vpc.SecurityGroupIngressRule(
      resourceName(scope, "endpoints-from-lambda"),
      {
        securityGroupId: endpointSecurityGroup.id,
        referencedSecurityGroupId: this.lambdaSecurityGroup.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS from Questline Lambdas",
      },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      resourceName(scope, "lambda-to-endpoints"),
      {
        securityGroupId: this.lambdaSecurityGroup.id,
        referencedSecurityGroupId: endpointSecurityGroup.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS to interface endpoints",
      },
      parent,
    );

    const dynamoDbEndpoint = new aws.ec2.VpcEndpoint(
      resourceName(scope, "dynamodb-endpoint"),
      {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${scope.region}.dynamodb`,
        vpcEndpointType: "Gateway",
        routeTableIds: [routeTable.id],
        tags: { Name: resourceName(scope, "dynamodb-endpoint") },
      },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      resourceName(scope, "lambda-to-dynamodb"),
      {
        securityGroupId: this.lambdaSecurityGroup.id,
        prefixListId: dynamoDbEndpoint.prefixListId,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS to DynamoDB through the gateway endpoint",
      },
      parent,
    );

    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      new aws.ec2.VpcEndpoint(
        resourceName(scope, `${service}-endpoint`),
        {
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${scope.region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: this.privateSubnetIds,
          securityGroupIds: [endpointSecurityGroup.id],
          tags: { Name: resourceName(scope, `${service}-endpoint`) },
        },
        parent,
      );
    }

    this.registerOutputs({ vpcId: this.vpc.id, privateSubnetIds: this.privateSubnetIds });
  }
}

/** Carves /20 subnets out of a /16 (index 0 → x.y.0.0/20, 1 → x.y.16.0/20, …). */
export function subnetCidr(vpcCidr: string, index: number): string {
  const [base, prefix] = vpcCidr.split("/");
  const octets = (base ?? "").split(".").map(Number);
  if (prefix !== "16" || octets.length !== 4 || octets.some((o) => Number.isNaN(o))) {
    throw new Error(`expected a /16 VPC CIDR, got ${vpcCidr}`);
  }
  if (index < 0 || index > 15) throw new Error(`subnet index ${index} out of range`);
  return `${octets[0]}.${octets[1]}.${index * 16}.0/20`;
}
