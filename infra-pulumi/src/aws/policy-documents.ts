import * as pulumi from "@pulumi/pulumi";

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: pulumi.Input<string>[];
  Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;
}

export interface ServicePolicyStatement {
  Sid?: string;
  Effect: "Allow";
  Principal: { Service?: string | string[]; AWS?: pulumi.Input<string> };
  Action: string | string[];
  Resource?: string;
  Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;
}

/** Serialises an IAM policy whose statements may hold unresolved ARNs. */
export function policyDocument(statements: (PolicyStatement | ServicePolicyStatement)[]): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

export function assumeRolePolicy(service: string, sourceArn?: pulumi.Input<string>): pulumi.Output<string> {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      ...(sourceArn ? { Condition: { ArnLike: { "aws:SourceArn": sourceArn } } } : {}),
    },
  ]);
}
