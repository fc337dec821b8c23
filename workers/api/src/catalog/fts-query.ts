import { QuestlineError } from "@questline/contracts";

export const MAX_QUERY_TERMS = 12;
const TERM = /[\p{L}\p{N}]+/gu;

/**
 * Turns what a user typed into an FTS5 expression that can only mean "all these words":
 * every run of letters/digits becomes a quoted string (so quotes, `*`, `^`, `:`, `-`,
 * parentheses, NEAR/AND/OR/NOT and column filters lose any meaning), terms are ANDed, and
 * the last term is a prefix query for type-ahead. Returns null when nothing searchable is left.
 */
export function toFtsTerms(input: string): string | null {
  const terms = input.normalize("NFKC").match(TERM)?.slice(0, MAX_QUERY_TERMS) ?? [];
  if (terms.length === 0) return null;
  const quoted = terms.map((term, i) => {
    const safe = `"${term.toLowerCase()}"`;
    return i === terms.length - 1 && term.length >= 2 ? `${safe}*` : safe;
  });
  return quoted.join(" ");
}

/** The hex token `catalog_texts.ws_token` stores for a workspace ('w' || lower(hex(workspace_id))). */
export function workspaceToken(workspaceId: string): string {
  let hex = "";
  for (const byte of new TextEncoder().encode(workspaceId)) hex += byte.toString(16).padStart(2, "0");
  return `w${hex}`;
}

/** The two MATCH expressions of a search: the user's terms alone, and scoped by the workspace token. */
export interface CatalogMatch {
  /** `{title description body}: (<terms>)` — the workspace is filtered by join. */
  terms: string;
  /** `ws_token:<ws> AND <terms>` — FTS5 only walks this workspace's postings. */
  scoped: string;
}

/**
 * Both MATCH expressions for what the user typed (search picks one per workspace size; they
 * rank identically because the `ws_token` column weighs 0.0 in bm25). The user's terms are
 * restricted to the text columns, so they can never match a workspace token.
 */
export function catalogMatchExpressions(workspaceId: string, input: string): CatalogMatch {
  const terms = toFtsTerms(input);
  if (terms === null) {
    throw new QuestlineError("catalog.bad_query", "The query has no searchable words", {
      details: [{ path: "q", message: "must contain at least one letter or digit" }],
    });
  }
  const text = `{title description body}: (${terms})`;
  return { terms: text, scoped: `ws_token:${workspaceToken(workspaceId)} AND ${text}` };
}
