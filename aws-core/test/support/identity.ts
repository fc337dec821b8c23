import { type Identity, identityToHeaders, newWorkspaceId } from "@questline/contracts";

/** The account test workspaces belong to: tokens carry it, as the pre-token trigger adds it. */
export const TEST_ACCOUNT_ID = "AccTest001";

/** Identity headers as the edge sends them (dashboard by default). */
export function identityHeaders(overrides: Partial<Identity> = {}): Record<string, string> {
  const identity: Identity = {
    accountId: TEST_ACCOUNT_ID,
    workspaceId: newWorkspaceId(),
    context: "dashboard",
    role: "editor",
    scopes: [],
    ...overrides,
  };
  return identityToHeaders(identity);
}

export function jsonRequest(
  method: string,
  headers: Record<string, string>,
  body?: unknown,
  extra: Record<string, string> = {},
): RequestInit {
  return {
    method,
    headers: { ...headers, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...extra },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  };
}
