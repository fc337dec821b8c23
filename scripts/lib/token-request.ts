import { ensureUser, ensureWorkspace } from "@questline/aws-core/ops";
import { isWorkspaceId, ROLES, type Role, TOKEN_CONTEXTS, type TokenContext } from "@questline/contracts";
import { LOCAL_CLIENT_IDS, LOCAL_COGNITO, type MintTokenInput } from "@questline/local";
import { DEMO } from "./demo";

/** What `npm run token` (and `stack.mintToken`) asks for. */
export interface TokenRequest {
  context: TokenContext;
  role?: Role;
  workspaceId?: string;
  userId?: string;
  /** `questline-local-m2m` for a machine token (no user; scopes app/read app/write). */
  clientId?: string;
}

export function parseTokenRequest(body: Record<string, unknown>): TokenRequest {
  const context = body.context ?? "app";
  if (!TOKEN_CONTEXTS.includes(context as TokenContext))
    throw new Error(`context must be one of ${TOKEN_CONTEXTS.join(", ")}`);
  if (body.role !== undefined && !ROLES.includes(body.role as Role))
    throw new Error(`role must be one of ${ROLES.join(", ")}`);
  if (body.workspaceId !== undefined && !isWorkspaceId(body.workspaceId)) {
    throw new Error("workspace must be 10 characters of [A-Za-z0-9_-]");
  }
  if (body.userId !== undefined && !(typeof body.userId === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(body.userId))) {
    throw new Error("user must be 1-64 characters of [A-Za-z0-9_-]");
  }
  if (body.clientId !== undefined && !LOCAL_CLIENT_IDS.includes(body.clientId as string)) {
    throw new Error(`client must be one of ${LOCAL_CLIENT_IDS.join(", ")}`);
  }
  return body as unknown as TokenRequest;
}

/**
 * Resolves a token request to claims, creating the workspace (under the demo account) and the
 * user when they do not exist yet. Defaults: the demo workspace; app → the demo member,
 * dashboard → the demo admin (another role → a `local_<role>` user of that role).
 */
export async function resolveTokenRequest(request: TokenRequest): Promise<MintTokenInput> {
  const workspaceId = request.workspaceId ?? DEMO.workspaceId;
  const workspace = await ensureWorkspace({
    workspaceId,
    accountId: DEMO.accountId,
    accountName: DEMO.accountName,
    name: workspaceId === DEMO.workspaceId ? DEMO.workspaceName : `Local workspace ${workspaceId}`,
    allowedClientIds: [...LOCAL_CLIENT_IDS],
  });
  if (request.clientId === LOCAL_COGNITO.clients.m2m) {
    return {
      clientId: request.clientId,
      claims: { workspaceId, accountId: workspace.accountId, context: "app" },
    };
  }
  const context = request.context;
  const role: Role | undefined = context === "dashboard" ? (request.role ?? "admin") : request.role;
  const defaultUserId =
    context === "dashboard" ? (role === "admin" ? DEMO.adminUserId : `local_${role}`) : DEMO.memberUserId;
  const user = await ensureUser({
    workspaceId,
    userId: request.userId ?? defaultUserId,
    context,
    ...(context === "dashboard" ? { role } : {}),
  });
  return {
    ...(request.clientId ? { clientId: request.clientId } : {}),
    claims: {
      workspaceId,
      accountId: workspace.accountId,
      userId: user.userId,
      context,
      lang: user.lang,
      ...(role ? { role } : user.role ? { role: user.role } : {}),
    },
  };
}
