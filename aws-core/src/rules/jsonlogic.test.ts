import { QuestlineError } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import {
  assertJsonLogic,
  evaluate,
  evaluateAmount,
  evaluateCondition,
  evaluateIncrement,
  jsonLogicProblem,
} from "./jsonlogic";

describe("JsonLogic well-formedness", () => {
  it("accepts built-in and extended operators", () => {
    expect(jsonLogicProblem({ "==": [{ var: "event.outcome" }, "SUCCESS"] })).toBeNull();
    expect(jsonLogicProblem({ max: [1, { pow: [{ var: "event.value" }, 2] }] })).toBeNull();
    expect(jsonLogicProblem({ ">": [{ date_diff: [{ now: [] }, { var: "user.createdAt" }, "days"] }, 7] })).toBeNull();
    expect(jsonLogicProblem(true)).toBeNull();
    expect(jsonLogicProblem(5)).toBeNull();
  });

  it("rejects unknown operators, multi-key objects and bad arity", () => {
    expect(jsonLogicProblem({ frobnicate: [1] })).toMatch(/unknown operator `frobnicate`/);
    expect(jsonLogicProblem({ and: [{ "==": [1, 1] }, { nope: 1 }] })).toMatch(/nope/);
    expect(jsonLogicProblem({ "==": [1, 1], "!=": [1, 2] })).toMatch(/exactly one operator/);
    expect(jsonLogicProblem({ "==": [1] })).toMatch(/does not compile/);
  });

  it("throws a rules.invalid_jsonlogic error naming the field", () => {
    try {
      assertJsonLogic({ bad: 1 }, "matchCondition");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(QuestlineError);
      expect((err as QuestlineError).code).toBe("rules.invalid_jsonlogic");
      expect((err as QuestlineError).details?.[0]?.path).toBe("matchCondition");
    }
  });
});

describe("JsonLogic evaluation", () => {
  it("has min, max, pow, sqrt", () => {
    expect(evaluate({ min: [3, 1, 2] }, {})).toBe(1);
    expect(evaluate({ max: [3, 1, 2] }, {})).toBe(3);
    expect(evaluate({ pow: [2, 10] }, {})).toBe(1024);
    expect(evaluate({ sqrt: [{ var: "n" }] }, { n: 81 })).toBe(9);
  });

  it("has date helpers with a fixed clock per evaluation", () => {
    const now = new Date("2025-03-10T12:00:00Z");
    expect(evaluate({ now: [] }, {}, now)).toBe("2025-03-10T12:00:00.000Z");
    expect(evaluate({ date_diff: [{ now: [] }, "2025-03-01T12:00:00Z", "days"] }, {}, now)).toBe(9);
    expect(evaluate({ date_add: ["2025-01-31T00:00:00Z", 1, "month"] }, {})).toBe("2025-02-28T00:00:00.000Z");
    expect(evaluate({ day_of_week: ["2025-03-10T23:30:00Z", "Asia/Tokyo"] }, {})).toBe(2);
    expect(evaluate({ hour_of_day: ["2025-03-10T23:30:00Z", "Europe/Rome"] }, {})).toBe(0);
  });

  it("reads a missing variable as null and treats a missing condition as true", () => {
    expect(evaluate({ var: "event.nope" }, { event: {} })).toBeNull();
    expect(evaluateCondition(null, {})).toBe(true);
    expect(evaluateCondition({}, {})).toBe(true);
    expect(evaluateCondition({ "==": [{ var: "event.outcome" }, "SUCCESS"] }, { event: { outcome: "FAILURE" } })).toBe(
      false,
    );
    expect(evaluateCondition({ in: ["vip", { var: "user.tags" }] }, { user: { tags: ["vip"] } })).toBe(true);
  });

  it("counts a null, empty or NaN increment as 1", () => {
    expect(evaluateIncrement({ var: "event.value" }, { event: { value: 5 } })).toBe(5);
    expect(evaluateIncrement({ var: "event.value" }, { event: {} })).toBe(1);
    expect(evaluateIncrement({ var: "event.label" }, { event: { label: "" } })).toBe(1);
    expect(evaluateIncrement({ "*": [{ var: "event.label" }, 2] }, { event: { label: "abc" } })).toBe(1);
    expect(evaluateIncrement(undefined, {})).toBe(1);
  });

  it("skips a reward amount of 0 or not-a-number", () => {
    expect(evaluateAmount({ "*": [{ var: "event.value" }, 10] }, { event: { value: 3 } })).toBe(30);
    expect(evaluateAmount(0, {})).toBeNull();
    expect(evaluateAmount({ var: "event.x" }, { event: { x: "abc" } })).toBeNull();
    expect(evaluateAmount({ var: "event.x" }, { event: {} })).toBeNull();
  });
});
