/**
 * Matching of an event against a configuration or rule: `INSTANCE` (one entity, by id),
 * `ENTITY` (any entity of the type) or `TAG` (entities carrying the tag id).
 */
export const MATCH_TYPES = ["INSTANCE", "ENTITY", "TAG"] as const;
export type MatchType = (typeof MATCH_TYPES)[number];

export interface MatchSpec {
  matchType: MatchType;
  /** Entity type such as `Activity`, `Quiz`, `Mission`; for TAG the type of the tagged entity (or `Tag` for any). */
  matchEntity: string;
  matchEntityId?: string | undefined;
}

export interface MatchableEvent {
  entityType: string;
  entityId: string;
  /** Tag ids carried by the entity and by the event itself. */
  tags: readonly string[];
}

export function matchesEntity(spec: MatchSpec, event: MatchableEvent): boolean {
  switch (spec.matchType) {
    case "INSTANCE":
      return spec.matchEntity === event.entityType && spec.matchEntityId === event.entityId;
    case "ENTITY":
      return spec.matchEntity === event.entityType;
    case "TAG":
      if (!spec.matchEntityId || !event.tags.includes(spec.matchEntityId)) return false;
      return spec.matchEntity === "Tag" || spec.matchEntity === event.entityType;
  }
}

/**
 * The field combinations a match spec must satisfy: an id for INSTANCE and TAG, none for
 * ENTITY. Returns the problem, or null.
 */
export function matchSpecProblem(spec: {
  matchType: MatchType;
  matchEntityId?: string | null | undefined;
}): string | null {
  const hasId = typeof spec.matchEntityId === "string" && spec.matchEntityId.length > 0;
  if (spec.matchType === "ENTITY" && hasId) return "must be absent when the match type is ENTITY";
  if (spec.matchType !== "ENTITY" && !hasId) return `is required when the match type is ${spec.matchType}`;
  return null;
}
