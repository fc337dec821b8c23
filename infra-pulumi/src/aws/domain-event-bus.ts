import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type NamingScope, resourceName } from "../naming.js";
import type { PolicyStatement } from "./policy-documents.js";

/** How long the archive keeps domain events for replay. */
export const EVENT_ARCHIVE_RETENTION_DAYS = 14;
/** What the core publishes: `source` of every domain event (aws-core/src/event-bus). */
export const DOMAIN_EVENT_PATTERN = { source: ["questline"] };

export interface DomainEventBusArgs {
  scope: NamingScope;
}

/**
 * The region's EventBridge bus for domain events (the webhook event catalog), and an archive
 * of them for replay. The stream handler of the active region publishes to it; webhooks, live
 * updates and analytics subscribe with rules.
 */
export class DomainEventBus extends pulumi.ComponentResource {
  readonly bus: aws.cloudwatch.EventBus;
  readonly archive: aws.cloudwatch.EventArchive;

  constructor(name: string, args: DomainEventBusArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:DomainEventBus", name, {}, opts);
    const parent = { parent: this };
    const busName = resourceName(args.scope, "events");
    this.bus = new aws.cloudwatch.EventBus(busName, { name: busName }, parent);
    this.archive = new aws.cloudwatch.EventArchive(
      resourceName(args.scope, "events-archive"),
      {
        name: resourceName(args.scope, "events-archive"),
        eventSourceArn: this.bus.arn,
        retentionDays: EVENT_ARCHIVE_RETENTION_DAYS,
        eventPattern: JSON.stringify(DOMAIN_EVENT_PATTERN),
        description: "Questline domain events, kept for replay",
      },
      parent,
    );
    this.registerOutputs({ busArn: this.bus.arn });
  }

  /** What a publisher needs: PutEvents on this bus only. */
  publishStatements(sid: string): PolicyStatement[] {
    return [{ Sid: sid, Effect: "Allow", Action: ["events:PutEvents"], Resource: [this.bus.arn] }];
  }
}

export interface EventForwardingArgs {
  scope: NamingScope;
  from: DomainEventBus;
  to: DomainEventBus;
}

/**
 * Cross-region delivery: every domain event on the active region's bus is forwarded to the
 * standby region's bus (the seeds' multi-region event bus), so subscribers there see the same
 * stream and take over on failover. One direction only: only the active region publishes.
 */
export class EventForwarding extends pulumi.ComponentResource {
  constructor(name: string, args: EventForwardingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("questline:aws:EventForwarding", name, {}, opts);
    const parent = { parent: this };
    const role = new aws.iam.Role(
      resourceName(args.scope, "events-forward"),
      {
        name: resourceName(args.scope, "events-forward"),
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      },
      parent,
    );
    new aws.iam.RolePolicy(
      resourceName(args.scope, "events-forward-access"),
      {
        role: role.id,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            { Sid: "ForwardToStandbyBus", Effect: "Allow", Action: ["events:PutEvents"], Resource: [args.to.bus.arn] },
          ],
        }),
      },
      parent,
    );
    const rule = new aws.cloudwatch.EventRule(
      resourceName(args.scope, "events-forward"),
      {
        name: resourceName(args.scope, "events-forward"),
        eventBusName: args.from.bus.name,
        eventPattern: JSON.stringify(DOMAIN_EVENT_PATTERN),
        description: "Forward domain events to the standby region's bus",
      },
      parent,
    );
    new aws.cloudwatch.EventTarget(
      resourceName(args.scope, "events-forward-target"),
      { rule: rule.name, eventBusName: args.from.bus.name, arn: args.to.bus.arn, roleArn: role.arn },
      parent,
    );
    this.registerOutputs({});
  }
}
