import { QuestlineError } from "@questline/contracts";
import { z } from "zod";
import { assertJsonLogic } from "./jsonlogic";
import { MATCH_TYPES, matchSpecProblem } from "./matching";

/** Zod pieces for rule payloads: JsonLogic fields and entity matching. */
export const jsonLogicField = z.union([z.record(z.string(), z.unknown()), z.boolean(), z.number()]);
export const nullableJsonLogic = jsonLogicField.nullable();
export const matchTypeSchema = z.enum(MATCH_TYPES);

/** Every given JsonLogic field is a valid rule (400 naming the field otherwise). */
export function assertRules(fields: Record<string, unknown>): void {
  for (const [field, logic] of Object.entries(fields)) {
    if (logic !== undefined && logic !== null) assertJsonLogic(logic, field);
  }
}

export function assertMatch(
  field: string,
  spec: { matchType: (typeof MATCH_TYPES)[number]; matchEntityId?: string | null | undefined },
): void {
  const problem = matchSpecProblem(spec);
  if (problem) {
    throw new QuestlineError("request.validation_failed", "Request body is invalid", {
      details: [{ path: field, message: problem }],
    });
  }
}
