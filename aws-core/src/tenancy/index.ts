export { tenancyKeys } from "./keys";
export { type EnsureUserInput, ensureUser, getUser, getUserByExternalId, type UserRecord } from "./users";
export {
  type AccountRecord,
  type EnsureWorkspaceInput,
  ensureWorkspace,
  getAccount,
  getWorkspace,
  listWorkspaceIds,
  type WorkspaceRecord,
} from "./workspaces";
