import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { QuestlineError } from "@questline/contracts";
import { documentDb, tableName } from "../../db/client";
import { workspacePk } from "../../db/keys";
import { decodeNextToken, encodeNextToken } from "../../db/pagination";
import type { LearningPathRuleData } from "./model";

/**
 * Learning path rules: `WS#<ws> / LPRULE#<id>` (not catalog-indexed) with the draft in `data`
 * and, once published, the snapshot the engine runs in `live`. Writes are conditioned on `version`.
 */
export interface StoredRule {
  learningPathRuleId: string;
  workspaceId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  data: LearningPathRuleData;
  live?: LearningPathRuleData;
}

const PREFIX = "LPRULE#";

function ruleKey(workspaceId: string, id: string) {
  return { pk: workspacePk({ workspaceId }), sk: `${PREFIX}${id}` };
}

function fromItem(item: Record<string, unknown>): StoredRule {
  const { pk: _pk, sk: _sk, itemType: _t, ...rest } = item;
  return rest as unknown as StoredRule;
}

export function toRuleView(rule: StoredRule): Record<string, unknown> {
  return {
    learningPathRuleId: rule.learningPathRuleId,
    ...rule.data,
    version: rule.version,
    workspaceId: rule.workspaceId,
    createdAt: rule.createdAt,
    updatedAt: rule.updatedAt,
  };
}

export async function putRule(rule: StoredRule, expectedVersion: number | null): Promise<void> {
  try {
    await documentDb().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...ruleKey(rule.workspaceId, rule.learningPathRuleId), itemType: "LearningPathRule", ...rule },
        ...(expectedVersion === null
          ? { ConditionExpression: "attribute_not_exists(pk)" }
          : { ConditionExpression: "version = :v", ExpressionAttributeValues: { ":v": expectedVersion } }),
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) {
      throw new QuestlineError(
        "resource.conflict",
        expectedVersion === null
          ? `learning path rule ${rule.learningPathRuleId} already exists`
          : `learning path rule ${rule.learningPathRuleId} was changed concurrently`,
      );
    }
    throw err;
  }
}

export async function requireRule(workspaceId: string, id: string): Promise<StoredRule> {
  const out = await documentDb().send(
    new GetCommand({ TableName: tableName(), Key: ruleKey(workspaceId, id), ConsistentRead: true }),
  );
  if (!out.Item) throw new QuestlineError("resource.not_found", `learning path rule ${id} not found`);
  return fromItem(out.Item);
}

export async function listRules(
  workspaceId: string,
  options: { limit: number; nextToken?: string | undefined },
): Promise<{ items: StoredRule[]; nextToken?: string }> {
  const pk = workspacePk({ workspaceId });
  const out = await documentDb().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": pk, ":prefix": PREFIX },
      Limit: options.limit,
      ExclusiveStartKey: decodeNextToken(options.nextToken, pk),
    }),
  );
  const nextToken = encodeNextToken(out.LastEvaluatedKey);
  return { items: (out.Items ?? []).map(fromItem), ...(nextToken ? { nextToken } : {}) };
}

/** Every published rule of the workspace (the live snapshots), optionally of one type. */
export async function loadLiveRules(
  workspaceId: string,
  ruleType?: LearningPathRuleData["ruleType"],
): Promise<{ learningPathRuleId: string; rule: LearningPathRuleData }[]> {
  const pk = workspacePk({ workspaceId });
  const out: { learningPathRuleId: string; rule: LearningPathRuleData }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentDb().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        FilterExpression: "attribute_exists(live)",
        ExpressionAttributeValues: { ":pk": pk, ":prefix": PREFIX },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const rule = fromItem(item);
      if (rule.live && (!ruleType || rule.live.ruleType === ruleType)) {
        out.push({ learningPathRuleId: rule.learningPathRuleId, rule: rule.live });
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return out;
}
