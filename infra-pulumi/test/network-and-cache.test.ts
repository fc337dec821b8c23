import { beforeAll, describe, expect, it } from "vitest";
import { subnetCidr } from "../src/aws/private-network.js";
import { type DeclaredResource, declareWithMocks, ofType, single, testConfig } from "./harness.js";

let resources: DeclaredResource[];
beforeAll(async () => {
  resources = await declareWithMocks(testConfig("prod"));
});
const P = "questline-prod-eu-west-1";

describe("private network", () => {
  it("has private subnets in at least two AZs and no route to the internet", () => {
    const subnets = ofType(resources, "aws:ec2/subnet:Subnet").filter((s) => s.name.startsWith(P));
    expect(new Set(subnets.map((s) => s.inputs.availabilityZone))).toEqual(
      new Set(["eu-west-1a", "eu-west-1b", "eu-west-1c"]),
    );
    expect(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false)).toBe(true);
    expect(ofType(resources, "aws:ec2/internetGateway:InternetGateway")).toHaveLength(0);
    expect(ofType(resources, "aws:ec2/natGateway:NatGateway")).toHaveLength(0);
    expect(ofType(resources, "aws:ec2/route:Route")).toHaveLength(0);
    for (const table of ofType(resources, "aws:ec2/routeTable:RouteTable"))
      expect(table.inputs.routes ?? []).toEqual([]);
  });

  it("gives the in-VPC Lambdas a DynamoDB gateway endpoint and Secrets Manager / SSM / X-Ray / AppConfig data interface endpoints", () => {
    const endpoints = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.name.startsWith(P));
    expect(endpoints.map((e) => [e.inputs.serviceName, e.inputs.vpcEndpointType]).sort()).toEqual([
      ["com.amazonaws.eu-west-1.appconfigdata", "Interface"],
      ["com.amazonaws.eu-west-1.dynamodb", "Gateway"],
      ["com.amazonaws.eu-west-1.secretsmanager", "Interface"],
      ["com.amazonaws.eu-west-1.ssm", "Interface"],
      ["com.amazonaws.eu-west-1.xray", "Interface"],
    ]);
  });

  it("carves /20 subnets out of the VPC /16", () => {
    expect(subnetCidr("10.40.0.0/16", 0)).toBe("10.40.0.0/20");
    expect(subnetCidr("10.40.0.0/16", 2)).toBe("10.40.32.0/20");
    expect(() => subnetCidr("10.40.0.0/24", 0)).toThrow(/16/);
  });
});

describe("MemoryDB", () => {
  it("runs with TLS, an ACL user, KMS encryption, in the private subnets", () => {
    const cluster = single(resources, "aws:memorydb/cluster:Cluster", P).inputs;
    expect(cluster.tlsEnabled).toBe(true);
    expect(cluster.aclName).toBe(`${P}-memorydb-acl`);
    expect(cluster.kmsKeyArn).toMatch(/^arn:aws:kms:eu-west-1:/);
    expect(cluster.subnetGroupName).toBe(`${P}-memorydb-subnets`);
    expect(String(cluster.name).length).toBeLessThanOrEqual(40);
    const user = single(resources, "aws:memorydb/user:User", P).inputs;
    expect(user.userName).toBe(`${P}-core`);
    expect(user.authenticationMode).toEqual({ type: "password", passwords: ["a-long-redis-password-123"] });
  });

  it("is reachable only from the Lambda security group, never from a CIDR", () => {
    const cacheSg = `${P}-memorydb-sg`;
    const ingress = ofType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    const cacheIngress = ingress.filter((rule) => rule.inputs.securityGroupId === `${cacheSg}-id`);
    expect(cacheIngress).toHaveLength(1);
    expect(cacheIngress[0]?.inputs).toMatchObject({
      referencedSecurityGroupId: `${P}-lambda-sg-id`,
      fromPort: 6379,
      toPort: 6379,
    });
    for (const rule of ingress) {
      expect(rule.inputs.cidrIpv4).toBeUndefined();
      expect(rule.inputs.cidrIpv6).toBeUndefined();
    }
    for (const sg of ofType(resources, "aws:ec2/securityGroup:SecurityGroup"))
      expect(sg.inputs.ingress ?? []).toEqual([]);
    const cluster = single(resources, "aws:memorydb/cluster:Cluster", P).inputs;
    expect(cluster.securityGroupIds).toEqual([`${cacheSg}-id`]);
  });
});
