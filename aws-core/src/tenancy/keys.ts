/** Single-table keys of the tenancy records (see aws-core/README.md for the table design). */
export const tenancyKeys = {
  account: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: "ACCOUNT" }),
  workspace: (workspaceId: string) => ({ pk: `WS#${workspaceId}`, sk: "WORKSPACE" }),
  /**
   * gsi2 entry listing every workspace, for the platform's own scheduled sweeps (never used to
   * serve a tenant request: those always know their workspace from the token).
   */
  workspaceDirectory: (workspaceId: string) => ({ gsi2pk: "PLATFORM#WORKSPACES", gsi2sk: `WS#${workspaceId}` }),
  user: (workspaceId: string, userId: string) => ({ pk: `WS#${workspaceId}`, sk: `USER#${userId}` }),
  /** gsi1 entry of a user with an external id (lookup by the customer's own id). */
  userByExternalId: (workspaceId: string, externalId: string) => ({
    gsi1pk: `WS#${workspaceId}#EXTUSER#${externalId}`,
    gsi1sk: "USER",
  }),
  /** Guard item that makes an external id unique within a workspace (written in the same transaction). */
  externalIdGuard: (workspaceId: string, externalId: string) => ({
    pk: `WS#${workspaceId}`,
    sk: `EXTUSER#${externalId}`,
  }),
} as const;
