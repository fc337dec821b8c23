import { QuestlineError } from "@questline/contracts";

/** `If-Match: "<version>"` (optional) pins the version a write applies to; anything else is a 400. */
export function expectedVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) {
    throw new QuestlineError("request.validation_failed", "If-Match must be a version number", {
      details: [{ path: "if-match", message: 'expected a version such as "3"' }],
    });
  }
  return Number(match[1]);
}
