import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { documentDb, tableName } from "../src/db/client";
import { PK, SK } from "../src/db/keys";
import { activity, currency, missionSetup, rewardRule, testWorkspace, user } from "./support/callers";

type ErrorJson = { error: { code: string; message: string } };

/**
 * What the core stored is read back through each feature's item schema (`db/items.ts`), not
 * cast: an item that no longer matches (a bug, a hand edit, a bad migration) is a logged
 * generic 500, never a half-formed answer that leaks or misreports what is stored.
 */
describe("stored items are parsed when read", () => {
  async function corrupt(workspaceId: string, userId: string, prefix: string, field: string) {
    const out = await documentDb().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :sk)",
        ExpressionAttributeValues: { ":pk": PK.user(workspaceId, userId), ":sk": `${prefix}#` },
      }),
    );
    expect(out.Items?.length).toBeGreaterThan(0);
    for (const item of out.Items ?? []) {
      await documentDb().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: "SET #f = :v",
          ExpressionAttributeNames: { "#f": field },
          ExpressionAttributeValues: { ":v": { hand: "edited" } },
        }),
      );
    }
  }

  async function expectGeneric500(res: Response, field: string) {
    expect(res.status).toBe(500);
    const body = (await res.json()) as ErrorJson;
    expect(body.error).toMatchObject({ code: "internal.error", message: "Internal server error" });
    expect(JSON.stringify(body)).not.toContain(field);
  }

  it("activity logs, missions and wallet transactions: whole when intact, a generic 500 once hand-edited", async () => {
    const { workspaceId, admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const coins = await currency(admin);
    await rewardRule(admin, {
      ruleType: "INSTANCE",
      matchEntity: "Activity",
      matchEntityId: activityId,
      applicationMode: "ALWAYS",
      rewards: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", expression: 5 }],
    });
    await missionSetup(admin, activityId, { target: 3 });
    const userId = await user(admin);
    const me = asUser(userId);
    await me.json("POST", "/app/activity-logs", { activityId, value: 1 }, 200);

    const logs = await me.json<{ items: Record<string, unknown>[] }>("GET", "/app/activity-logs", undefined, 200);
    expect(logs.items).toHaveLength(1);
    expect(logs.items[0]).toMatchObject({ activityId, userId, value: 1, outcome: "SUCCESS" });
    expect(Object.keys(logs.items[0]!).filter((k) => /^(pk|sk|gsi\d(pk|sk)|itemType)$/.test(k))).toEqual([]);
    const missions = await me.json<{ items: Record<string, unknown>[] }>("GET", "/app/missions", undefined, 200);
    expect(missions.items.map((m) => m.currentAmount)).toEqual([1]);
    const txs = await me.json<{ items: Record<string, unknown>[] }>("GET", "/app/virtual-transactions", undefined, 200);
    expect(txs.items).toHaveLength(1);
    expect(txs.items[0]).toMatchObject({ virtualCurrencyId: coins, amount: 5, direction: "CREDIT" });
    expect(Object.keys(txs.items[0]!).filter((k) => /^(pk|sk|gsi\d(pk|sk)|itemType)$/.test(k))).toEqual([]);

    await corrupt(workspaceId, userId, SK.activityLog, "value");
    await expectGeneric500(await me.request("GET", "/app/activity-logs"), "hand");
    await corrupt(workspaceId, userId, SK.mission, "currentAmount");
    await expectGeneric500(await me.request("GET", "/app/missions"), "hand");
    await corrupt(workspaceId, userId, SK.transaction, "amount");
    await expectGeneric500(await me.request("GET", "/app/virtual-transactions"), "hand");
  });
});
