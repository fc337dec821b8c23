import { describe, expect, it } from "vitest";
import { currency, testWorkspace, user } from "../../test/support/callers";
import { handler } from "../handlers/scheduled";

describe("scheduled expiry of pending credits", () => {
  it("reads as EXPIRED once past expiresAt and the sweep removes it from the balance, once", async () => {
    const { admin, asUser, workspaceId } = testWorkspace();
    const coins = await currency(admin);
    const alice = await user(admin);
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    const out = await admin.json<{ transactions: { virtualTransactionId: string }[] }>(
      "POST",
      "/dashboard/virtual-transactions",
      {
        transactions: [
          { virtualCurrencyId: coins, redemptionMode: "MANUAL", amount: 9, destinationUserId: alice, expiresAt },
        ],
      },
      201,
    );
    const me = asUser(alice);
    expect(await me.json("GET", `/app/virtual-balances/${coins}`)).toMatchObject({ amount: 9, availableAmount: 0 });
    const later = new Date(Date.now() + 120_000).toISOString();
    expect(await handler({ workspaceIds: [workspaceId], time: later })).toMatchObject({ expired: 1, failed: 0 });
    expect(await handler({ workspaceIds: [workspaceId], time: later })).toMatchObject({ expired: 0, failed: 0 });
    expect(await me.json("GET", `/app/virtual-balances/${coins}`)).toMatchObject({ amount: 0, availableAmount: 0 });
    const tx = await me.json<{ state: string }>(
      "GET",
      `/app/virtual-transactions/${out.transactions[0]!.virtualTransactionId}`,
    );
    expect(tx.state).toBe("EXPIRED");
    const redeem = await me.request(
      "POST",
      `/app/virtual-transactions/${out.transactions[0]!.virtualTransactionId}/redeem`,
    );
    expect(redeem.status).toBe(409);
  });
});
