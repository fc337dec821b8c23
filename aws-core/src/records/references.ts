import { BatchGetCommand } from "@aws-sdk/lib-dynamodb";
import { QuestlineError } from "@questline/contracts";
import { documentDb, tableName } from "../db/client";
import type { TableKey } from "../db/keys";
import { type RecordKind, recordKey, recordRef } from "./kinds";

/**
 * References a body makes to other entities of the caller's workspace, checked on save:
 * every key is built from the caller's workspace, so another workspace's id is just a
 * missing item, answered like a random one (400 `request.validation_failed` naming the field).
 */
export interface Reference {
  /** The body field holding the id, e.g. `items.2.itemId`. */
  path: string;
  key: TableKey;
  /** What the id should name, for the message ("quiz", "user", ...). */
  what: string;
}

/** A reference to a record of the caller's workspace (`what` defaults to the kind). */
export const recordReference = (
  workspaceId: string,
  path: string,
  kind: RecordKind,
  id: string,
  what: string = kind,
): Reference => ({ path, key: recordKey(recordRef({ workspaceId }, kind, id)), what });

export const tagReference = (workspaceId: string, path: string, id: string): Reference =>
  recordReference(workspaceId, path, "tag", id);

const keyOf = (key: TableKey) => `${key.pk}\u0000${key.sk}`;

/** Which of `keys` exist: one strongly consistent BatchGetItem per 100 distinct keys (keys only). */
async function existingKeys(keys: readonly TableKey[]): Promise<Set<string>> {
  const unique = [...new Map(keys.map((k) => [keyOf(k), { pk: k.pk, sk: k.sk }])).values()];
  const found = new Set<string>();
  const chunks: TableKey[][] = [];
  for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));
  await Promise.all(
    chunks.map(async (chunk) => {
      let request: Record<string, unknown>[] = chunk.map((k) => ({ pk: k.pk, sk: k.sk }));
      while (request.length) {
        const out = await documentDb().send(
          new BatchGetCommand({
            RequestItems: {
              [tableName()]: {
                Keys: request,
                ConsistentRead: true,
                ProjectionExpression: "pk, sk",
              },
            },
          }),
        );
        for (const item of out.Responses?.[tableName()] ?? []) found.add(keyOf(item as TableKey));
        request = (out.UnprocessedKeys?.[tableName()]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }),
  );
  return found;
}

/** Throws 400 `request.validation_failed` with one detail per reference that names nothing. */
export async function assertReferencesExist(references: readonly Reference[]): Promise<void> {
  if (references.length === 0) return;
  const found = await existingKeys(references.map((r) => r.key));
  const missing = references.filter((r) => !found.has(keyOf(r.key)));
  if (missing.length === 0) return;
  throw new QuestlineError("request.validation_failed", "Request body is invalid", {
    details: missing.map((r) => ({ path: r.path, message: `no such ${r.what} in this workspace` })),
  });
}
