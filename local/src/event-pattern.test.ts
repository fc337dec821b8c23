import { describe, expect, it } from "vitest";
import { type EventPattern, InvalidEventPatternError, matchesPattern } from "./event-pattern";

/** The examples of the EventBridge user guide ("Event patterns", "Content filtering"). */
const ec2 = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  detail: {
    "instance-id": "i-1234567890abcdef0",
    state: "terminated",
    "c-count": 5,
    "d-count": 7,
    "x-limit": 301.8,
    "source-ip": "10.0.0.255",
    responseElements: null,
    eventVersion: "",
  },
};

describe("EventBridge event patterns (the user guide's examples)", () => {
  const cases: [string, EventPattern, boolean][] = [
    ["exact values", { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] }, true],
    ["a nested field", { detail: { state: ["terminated"] } }, true],
    ["any of several values", { detail: { state: ["pending", "terminated"] } }, true],
    ["a value that differs", { detail: { state: ["pending"] } }, false],
    ["a field the event lacks", { detail: { missing: ["x"] } }, false],
    ["an array field matches when any element does", { resources: ["nope", ec2.resources[0]] }, true],
    ["prefix", { time: [{ prefix: "2017-12-22" }] }, true],
    ["prefix, ignoring case", { source: [{ prefix: { "equals-ignore-case": "AWS." } }] }, true],
    ["suffix", { detail: { "instance-id": [{ suffix: "def0" }] } }, true],
    ["suffix that differs", { detail: { "instance-id": [{ suffix: ".png" }] } }, false],
    [
      "equals-ignore-case",
      { "detail-type": [{ "equals-ignore-case": "ec2 instance state-change notification" }] },
      true,
    ],
    ["anything-but a value", { detail: { state: [{ "anything-but": "initializing" }] } }, true],
    ["anything-but the value it has", { detail: { state: [{ "anything-but": "terminated" }] } }, false],
    ["anything-but a list", { detail: { state: [{ "anything-but": ["stopped", "terminated"] }] } }, false],
    ["anything-but a prefix", { detail: { state: [{ "anything-but": { prefix: "init" } }] } }, true],
    ["anything-but on a missing field", { detail: { missing: [{ "anything-but": "x" }] } }, false],
    [
      "numeric ranges",
      {
        detail: {
          "c-count": [{ numeric: [">", 0, "<=", 5] }],
          "d-count": [{ numeric: ["<", 10] }],
          "x-limit": [{ numeric: ["=", 3.018e2] }],
        },
      },
      true,
    ],
    ["numeric out of range", { detail: { "c-count": [{ numeric: [">", 5] }] } }, false],
    ["numeric on a string", { detail: { state: [{ numeric: [">", 0] }] } }, false],
    ["cidr", { detail: { "source-ip": [{ cidr: "10.0.0.0/24" }] } }, true],
    ["cidr outside", { detail: { "source-ip": [{ cidr: "10.0.1.0/24" }] } }, false],
    ["exists", { detail: { state: [{ exists: true }] } }, true],
    ["exists: false on a missing field", { detail: { "b-count": [{ exists: false }] } }, true],
    ["exists: false on a present field", { detail: { state: [{ exists: false }] } }, false],
    ["null matches null", { detail: { responseElements: [null] } }, true],
    ["the empty string matches the empty string", { detail: { eventVersion: [""] } }, true],
    [
      "$or",
      {
        detail: {
          $or: [{ "c-count": [{ numeric: [">", 10] }] }, { "d-count": [{ numeric: ["<", 10] }] }],
        },
      },
      true,
    ],
    ["$or where no branch matches", { detail: { $or: [{ state: ["a"] }, { state: ["b"] }] } }, false],
    ["wildcard", { resources: [{ wildcard: "arn:aws:ec2:us-west-1:*:instance/*" }] }, true],
    ["wildcard that differs", { resources: [{ wildcard: "arn:aws:s3:*" }] }, false],
    ["every key must match", { source: ["aws.ec2"], detail: { state: ["pending"] } }, false],
    ["an empty pattern matches everything", {}, true],
  ];
  for (const [name, pattern, expected] of cases) {
    it(name, () => {
      expect(matchesPattern(ec2, pattern)).toBe(expected);
    });
  }

  it("refuses malformed patterns", () => {
    for (const bad of [
      { source: "aws.ec2" },
      { source: [{ unknown: 1 }] },
      { detail: { n: [{ numeric: [">"] }] } },
      { $or: [{ a: ["b"] }] },
      { detail: { ip: [{ cidr: "nope" }] } },
    ]) {
      expect(() => matchesPattern(ec2, bad)).toThrow(InvalidEventPatternError);
    }
  });
});
