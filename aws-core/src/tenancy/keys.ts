import { INDEX_PK, PK, SK, sortKey } from "../db/keys";
import type { Reference } from "../records/references";

/** Single-table keys of the tenancy records (see aws-core/README.md for the table design). */
export const tenancyKeys = {
  account: (accountId: string) => ({ pk: PK.account(accountId), sk: "ACCOUNT" }),
  workspace: (workspaceId: string) => ({ pk: PK.workspace(workspaceId), sk: "WORKSPACE" }),
  /** gsi2 entry listing every workspace (see `INDEX_PK.workspaces`). */
  workspaceDirectory: (workspaceId: string) => ({ gsi2pk: INDEX_PK.workspaces, gsi2sk: PK.workspace(workspaceId) }),
  user: (workspaceId: string, userId: string) => ({ pk: PK.workspace(workspaceId), sk: sortKey(SK.user, userId) }),
  /** gsi1 entry of a user with an external id (lookup by the customer's own id). */
  userByExternalId: (workspaceId: string, externalId: string) => ({
    gsi1pk: INDEX_PK.externalUser(workspaceId, externalId),
    gsi1sk: "USER",
  }),
  /** Guard item that makes an external id unique within a workspace (written in the same transaction). */
  externalIdGuard: (workspaceId: string, externalId: string) => ({
    pk: PK.workspace(workspaceId),
    sk: sortKey(SK.externalIdGuard, externalId),
  }),
} as const;

/** A body's reference to a user of the caller's workspace, checked on save (see records/references). */
export const userReference = (workspaceId: string, path: string, userId: string): Reference => ({
  path,
  key: tenancyKeys.user(workspaceId, userId),
  what: "user",
});
