import { beforeAll, describe, expect, it } from "vitest";
import { type DeclaredResource, declareWithMocks, ofType, single, testConfig } from "./harness.js";

let resources: DeclaredResource[];
beforeAll(async () => {
  resources = await declareWithMocks(testConfig("prod"));
});

const PRIMARY = "questline-prod-eu-west-1";
const REPLICA = "questline-prod-eu-north-1";

describe("EventBridge: the domain event bus", () => {
  it("declares a bus per region, each with an archive of Questline's events for replay", () => {
    const buses = ofType(resources, "aws:cloudwatch/eventBus:EventBus");
    expect(buses.map((b) => b.inputs.name).sort()).toEqual([`${REPLICA}-events`, `${PRIMARY}-events`]);
    const archives = ofType(resources, "aws:cloudwatch/eventArchive:EventArchive");
    expect(archives).toHaveLength(2);
    for (const archive of archives) {
      expect(archive.inputs.retentionDays).toBe(14);
      expect(JSON.parse(String(archive.inputs.eventPattern))).toEqual({ source: ["questline"] });
      expect(String(archive.inputs.eventSourceArn)).toMatch(/-events$/);
    }
  });

  it("lets the stream handler publish to its own region's bus only", () => {
    for (const prefix of [PRIMARY, REPLICA]) {
      const fn = single(resources, "aws:lambda/function:Function", `${prefix}-stream`);
      const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
      expect(env.EVENT_BUS_NAME).toBe(`${prefix}-events`);
      const policy = single(resources, "aws:iam/rolePolicy:RolePolicy", `${prefix}-stream-access`);
      const statements = (
        JSON.parse(String(policy.inputs.policy)) as { Statement: { Action: string[]; Resource: string[] }[] }
      ).Statement;
      const publish = statements.filter((s) => s.Action.includes("events:PutEvents"));
      expect(publish).toHaveLength(1);
      expect(publish[0]?.Resource).toEqual([expect.stringMatching(new RegExp(`${prefix}-events$`))]);
    }
  });

  it("forwards the active region's events to the standby region's bus, in one direction", () => {
    const rules = ofType(resources, "aws:cloudwatch/eventRule:EventRule");
    const forward = rules.filter((r) => String(r.inputs.name).endsWith("events-forward"));
    expect(forward).toHaveLength(1);
    expect(forward[0]?.inputs.eventBusName).toBe(`${PRIMARY}-events`);
    const target = ofType(resources, "aws:cloudwatch/eventTarget:EventTarget").find((t) =>
      String(t.name).endsWith("events-forward-target"),
    );
    expect(String(target?.inputs.arn)).toMatch(new RegExp(`${REPLICA}-events$`));
    expect(target?.inputs.roleArn).toBeTruthy();
  });
});
