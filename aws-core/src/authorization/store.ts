import { DeleteCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { QuestlineError } from "@questline/contracts";
import { CONFIG_DEFAULTS, coreConfig } from "../config";
import { documentDb, tableName } from "../db/client";
import { isConditionFailure } from "../db/conditions";
import { PK, SK, sortKey, sortKeyPrefix } from "../db/keys";
import { queryAll } from "../db/query";
import { putVersionedItem } from "../db/versioned-put";
import { readsResourceState } from "./engine";
import type { NamedPolicy } from "./policies";

/**
 * A workspace's own Cedar policies: `pk = WS#<ws>`, `sk = AUTHZPOLICY#<policyId>` in the main
 * table, so they replicate with the workspace's data (global tables) and are tenant-scoped by
 * key like everything else.
 */
export interface StoredPolicy {
  policyId: string;
  workspaceId: string;
  description: string;
  statement: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy?: string;
  updatedBy?: string;
}

/** At most this many policies per workspace (Verified Permissions' own guidance is "few, general"). */
export const MAX_POLICIES_PER_WORKSPACE = 100;
/**
 * How long an instance keeps a workspace's policies before reading them again, by default; the
 * stage's value is the `authorization/policy-cache-ttl-ms` parameter (aws-core/src/config).
 */
export const POLICY_CACHE_TTL_MS = CONFIG_DEFAULTS.policyCacheTtlMs;

const key = (workspaceId: string, policyId: string) => ({
  pk: PK.workspace(workspaceId),
  sk: sortKey(SK.authorizationPolicy, policyId),
});

function toPolicy(item: Record<string, unknown>): StoredPolicy {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as StoredPolicy;
}

export async function listPolicies(workspaceId: string): Promise<StoredPolicy[]> {
  const items = await queryAll({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :sk)",
    ExpressionAttributeValues: { ":pk": PK.workspace(workspaceId), ":sk": sortKeyPrefix(SK.authorizationPolicy) },
    ConsistentRead: true,
  });
  return items
    .map(toPolicy)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.policyId.localeCompare(b.policyId));
}

export async function getPolicy(workspaceId: string, policyId: string): Promise<StoredPolicy | null> {
  const out = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: key(workspaceId, policyId), ConsistentRead: true }),
  );
  return out.Item ? toPolicy(out.Item) : null;
}

export async function requirePolicy(workspaceId: string, policyId: string): Promise<StoredPolicy> {
  const found = await getPolicy(workspaceId, policyId);
  if (!found) throw new QuestlineError("resource.not_found", `Policy ${policyId} not found`);
  return found;
}

/** Creates (`expectedVersion` undefined, the id must be new) or replaces at `expectedVersion`. */
export async function savePolicy(policy: StoredPolicy, expectedVersion?: number): Promise<StoredPolicy> {
  await putVersionedItem(
    key(policy.workspaceId, policy.policyId),
    { ...policy },
    `Policy ${policy.policyId}`,
    expectedVersion,
  );
  policyCache.invalidate(policy.workspaceId);
  return policy;
}

export async function deletePolicy(workspaceId: string, policyId: string): Promise<void> {
  try {
    await documentDb().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: key(workspaceId, policyId),
        ConditionExpression: "attribute_exists(pk)",
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) throw new QuestlineError("resource.not_found", `Policy ${policyId} not found`);
    throw err;
  }
  policyCache.invalidate(workspaceId);
}

export interface WorkspacePolicySet {
  setId: string;
  /** Changes whenever a policy of the workspace is added, changed or deleted. */
  revision: string;
  policies: NamedPolicy[];
  /** A policy reads `resource.state`: the record's lifecycle is loaded before deciding. */
  readsState: boolean;
}

/**
 * Each instance's view of the workspaces' policies, read at most every policyCacheTtlMs per
 * workspace (one Query; a workspace with none caches the empty set too). A change made
 * through this instance applies to its next request; other instances see it within the TTL —
 * the documented propagation time.
 */
class PolicyCache {
  private readonly entries = new Map<string, { set: WorkspacePolicySet; fetchedAt: number }>();
  private readonly inflight = new Map<string, Promise<WorkspacePolicySet>>();
  private static readonly MAX_ENTRIES = 10_000;

  async forWorkspace(workspaceId: string): Promise<WorkspacePolicySet> {
    const cached = this.entries.get(workspaceId);
    if (cached && Date.now() - cached.fetchedAt < coreConfig().policyCacheTtlMs) return cached.set;
    const pending = this.inflight.get(workspaceId);
    if (pending) return pending;
    const load = this.load(workspaceId).finally(() => this.inflight.delete(workspaceId));
    this.inflight.set(workspaceId, load);
    return load;
  }

  invalidate(workspaceId: string): void {
    this.entries.delete(workspaceId);
  }

  private async load(workspaceId: string): Promise<WorkspacePolicySet> {
    const stored = await listPolicies(workspaceId);
    const policies = stored.map((p) => ({
      id: `workspace/${p.policyId}`,
      description: p.description,
      statement: p.statement,
    }));
    const set: WorkspacePolicySet = stored.length
      ? {
          setId: `ws/${workspaceId}`,
          revision: stored.map((p) => `${p.policyId}@${p.version}`).join(","),
          policies,
          readsState: readsResourceState(policies),
        }
      : { setId: "default", revision: "default", policies: [], readsState: false };
    if (this.entries.size >= PolicyCache.MAX_ENTRIES) this.entries.clear();
    this.entries.set(workspaceId, { set, fetchedAt: Date.now() });
    return set;
  }
}

export const policyCache = new PolicyCache();
