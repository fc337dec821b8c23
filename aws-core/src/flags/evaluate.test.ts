import { describe, expect, it } from "vitest";
import { defaultFlagsDocument, FLAG_CATALOG, FLAG_NAMES, type FlagsDocument, flagsDocumentSchema } from "./catalog";
import { evaluateFlags, isEnabled, ROLLOUT_BUCKETS, rolloutBucket } from "./evaluate";

const FLAG = "workspace-policies" as const;
const WORKSPACES = Array.from({ length: 10_000 }, (_, i) => `ws_${i.toString(36).padStart(6, "0")}`);

function withSetting(setting: Partial<FlagsDocument["flags"][string]>): FlagsDocument {
  return flagsDocumentSchema.parse({ flags: { [FLAG]: { enabled: true, ...setting } } });
}
const enabledShare = (document: FlagsDocument) =>
  WORKSPACES.filter((ws) => isEnabled(document, FLAG, ws)).length / WORKSPACES.length;

describe("feature flag evaluation", () => {
  it("is every catalog default for a document that leaves the flag out", () => {
    const empty = flagsDocumentSchema.parse({});
    for (const flag of FLAG_NAMES) {
      expect(isEnabled(empty, flag, "ws-1")).toBe(FLAG_CATALOG[flag].default.enabled);
    }
    expect(defaultFlagsDocument().flags[FLAG]).toEqual({ enabled: true, rolloutPercent: 100, allow: [], deny: [] });
    expect(evaluateFlags(defaultFlagsDocument(), "ws-1")).toEqual({ "workspace-policies": true });
  });

  it.each([1, 10, 25, 50, 90])("turns %i %% of 10,000 workspaces on, within 1.5 points", (percent) => {
    expect(Math.abs(enabledShare(withSetting({ rolloutPercent: percent })) * 100 - percent)).toBeLessThan(1.5);
  });

  it("is 0 % and 100 % exactly at the ends", () => {
    expect(enabledShare(withSetting({ rolloutPercent: 0 }))).toBe(0);
    expect(enabledShare(withSetting({ rolloutPercent: 100 }))).toBe(1);
  });

  it("gives the same workspace the same answer every time, and buckets in range", () => {
    const doc = withSetting({ rolloutPercent: 37 });
    for (const ws of WORKSPACES.slice(0, 500)) {
      const bucket = rolloutBucket(FLAG, ws);
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(ROLLOUT_BUCKETS);
      expect(rolloutBucket(FLAG, ws)).toBe(bucket);
      expect(isEnabled(doc, FLAG, ws)).toBe(isEnabled(withSetting({ rolloutPercent: 37 }), FLAG, ws));
    }
    // Known values: the hash is part of the contract (a change would reshuffle every rollout).
    expect(rolloutBucket("workspace-policies", "ws_000000")).toBe(1816);
    expect(rolloutBucket("workspace-policies", "demo")).toBe(5446);
  });

  it("only adds workspaces when the percentage rises (and only removes when it falls)", () => {
    let previous = new Set<string>();
    for (const percent of [0, 5, 20, 20.5, 50, 80, 100]) {
      const on = new Set(WORKSPACES.filter((ws) => isEnabled(withSetting({ rolloutPercent: percent }), FLAG, ws)));
      for (const ws of previous) expect(on.has(ws), `${ws} at ${percent} %`).toBe(true);
      expect(on.size).toBeGreaterThanOrEqual(previous.size);
      previous = on;
    }
  });

  it("chooses workspaces independently per flag", () => {
    const a = WORKSPACES.filter((ws) => rolloutBucket("flag-a", ws) < 5_000);
    const both = a.filter((ws) => rolloutBucket("flag-b", ws) < 5_000);
    // Independent halves overlap on about a quarter of all workspaces.
    expect(Math.abs(both.length / WORKSPACES.length - 0.25)).toBeLessThan(0.02);
  });

  it("applies deny over everything, the kill switch over allow, allow over the percentage", () => {
    const [allowed, denied, other] = ["ws-allowed", "ws-denied", "ws-other"];
    const doc = withSetting({
      rolloutPercent: 0,
      allow: [allowed as string, denied as string],
      deny: [denied as string],
    });
    expect(isEnabled(doc, FLAG, allowed as string)).toBe(true);
    expect(isEnabled(doc, FLAG, denied as string)).toBe(false);
    expect(isEnabled(doc, FLAG, other as string)).toBe(false);
    const killed = withSetting({ enabled: false, rolloutPercent: 100, allow: [allowed as string] });
    expect(isEnabled(killed, FLAG, allowed as string)).toBe(false);
    expect(enabledShare(killed)).toBe(0);
    expect(enabledShare(withSetting({ rolloutPercent: 100, deny: [WORKSPACES[0] as string] }))).toBe(0.9999);
  });

  it("rejects documents AppConfig's validator would refuse", () => {
    const bad = [
      { flags: { [FLAG]: { rolloutPercent: 50 } } },
      { flags: { [FLAG]: { enabled: true, rolloutPercent: 101 } } },
      { flags: { [FLAG]: { enabled: "yes" } } },
      { flags: { [FLAG]: { enabled: true, extra: 1 } } },
      { flags: { "Not A Name": { enabled: true } } },
    ];
    for (const document of bad)
      expect(flagsDocumentSchema.safeParse(document).success, JSON.stringify(document)).toBe(false);
    // A flag the code does not know yet is accepted and ignored.
    const ahead = flagsDocumentSchema.parse({ flags: { "future-flag": { enabled: false } } });
    expect(evaluateFlags(ahead, "ws-1")).toEqual({ "workspace-policies": true });
  });
});
