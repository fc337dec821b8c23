import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type NamingScope, resourceName } from "../naming.js";

export interface AlarmTopicArgs {
  scope: NamingScope;
  kmsKeyArn: pulumi.Input<string>;
  email?: string;
}

/** The regional SNS topic every alarm of the region notifies (encrypted, optional e-mail). */
export class AlarmTopic extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;

  constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:AlarmTopic", name, {}, opts);
    const topicName = resourceName(args.scope, "alarms");
    this.topic = new aws.sns.Topic(topicName, { name: topicName, kmsMasterKeyId: args.kmsKeyArn }, { parent: this });
    if (args.email) {
      new aws.sns.TopicSubscription(
        `${topicName}-email`,
        {
          topic: this.topic.arn,
          protocol: "email",
          endpoint: args.email,
        },
        { parent: this },
      );
    }
    this.registerOutputs({ topicArn: this.topic.arn });
  }
}
