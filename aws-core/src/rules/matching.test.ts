import { describe, expect, it } from "vitest";
import { matchesEntity, matchSpecProblem } from "./matching";

const run = { entityType: "Activity", entityId: "run", tags: ["sport", "outdoor"] };

describe("matching", () => {
  it("INSTANCE matches one entity of the type", () => {
    expect(matchesEntity({ matchType: "INSTANCE", matchEntity: "Activity", matchEntityId: "run" }, run)).toBe(true);
    expect(matchesEntity({ matchType: "INSTANCE", matchEntity: "Activity", matchEntityId: "swim" }, run)).toBe(false);
    expect(matchesEntity({ matchType: "INSTANCE", matchEntity: "Quiz", matchEntityId: "run" }, run)).toBe(false);
  });

  it("ENTITY matches any entity of the type", () => {
    expect(matchesEntity({ matchType: "ENTITY", matchEntity: "Activity" }, run)).toBe(true);
    expect(matchesEntity({ matchType: "ENTITY", matchEntity: "Quiz" }, run)).toBe(false);
  });

  it("TAG matches entities carrying the tag", () => {
    expect(matchesEntity({ matchType: "TAG", matchEntity: "Activity", matchEntityId: "sport" }, run)).toBe(true);
    expect(matchesEntity({ matchType: "TAG", matchEntity: "Tag", matchEntityId: "outdoor" }, run)).toBe(true);
    expect(matchesEntity({ matchType: "TAG", matchEntity: "Activity", matchEntityId: "indoor" }, run)).toBe(false);
    expect(matchesEntity({ matchType: "TAG", matchEntity: "Quiz", matchEntityId: "sport" }, run)).toBe(false);
  });

  it("requires an id for INSTANCE/TAG and forbids it for ENTITY", () => {
    expect(matchSpecProblem({ matchType: "INSTANCE" })).toMatch(/required/);
    expect(matchSpecProblem({ matchType: "TAG", matchEntityId: "" })).toMatch(/required/);
    expect(matchSpecProblem({ matchType: "ENTITY", matchEntityId: "x" })).toMatch(/absent/);
    expect(matchSpecProblem({ matchType: "ENTITY" })).toBeNull();
    expect(matchSpecProblem({ matchType: "INSTANCE", matchEntityId: "x" })).toBeNull();
  });
});
