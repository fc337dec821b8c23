import { describe, expect, it } from "vitest";
import { currency, testWorkspace, user } from "../../test/support/callers";

type Balance = { amount: number; availableAmount: number };

describe("wallet: admin operations, transfers, redeem", () => {
  it("credits and debits through the dashboard and refuses to cross the limits", async () => {
    const { admin, asUser } = testWorkspace();
    const coins = await currency(admin, { maxAllowedBalance: 100 });
    const alice = await user(admin);
    const credit = (amount: number) =>
      admin.request("POST", "/dashboard/virtual-transactions", {
        transactions: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", amount, destinationUserId: alice }],
      });
    expect((await credit(60)).status).toBe(201);
    const over = await credit(50);
    expect(over.status).toBe(409);
    expect((await over.json()).error.code).toBe("wallet.balance_limit");
    const under = await credit(-70);
    expect(under.status).toBe(409);
    expect((await under.json()).error.code).toBe("wallet.insufficient_balance");
    expect((await credit(-20)).status).toBe(201);
    expect(await asUser(alice).json<Balance>("GET", `/app/virtual-balances/${coins}`)).toMatchObject({
      amount: 40,
      availableAmount: 40,
    });
  });

  it("20 concurrent transfers never take the sender below the minimum", async () => {
    const { admin, asUser } = testWorkspace();
    const coins = await currency(admin);
    const [alice, bob] = [await user(admin), await user(admin)];
    await admin.json(
      "POST",
      "/dashboard/virtual-transactions",
      { transactions: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", amount: 70, destinationUserId: alice }] },
      201,
    );
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        asUser(alice).request("POST", "/app/virtual-transactions", {
          transactions: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", amount: 10, destinationUserId: bob }],
        }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
    expect(statuses.filter((s) => s === 409)).toHaveLength(13);
    expect(await asUser(alice).json<Balance>("GET", `/app/virtual-balances/${coins}`)).toMatchObject({
      amount: 0,
      availableAmount: 0,
    });
    expect(await asUser(bob).json<Balance>("GET", `/app/virtual-balances/${coins}`)).toMatchObject({ amount: 70 });
  });

  it("20 concurrent redeems of one pending credit apply it once", async () => {
    const { admin, asUser } = testWorkspace();
    const coins = await currency(admin);
    const alice = await user(admin);
    const out = await admin.json<{ transactions: { virtualTransactionId: string; state: string }[] }>(
      "POST",
      "/dashboard/virtual-transactions",
      { transactions: [{ virtualCurrencyId: coins, redemptionMode: "MANUAL", amount: 25, destinationUserId: alice }] },
      201,
    );
    const tx = out.transactions[0]!;
    expect(tx.state).toBe("PENDING");
    const me = asUser(alice);
    expect(await me.json<Balance>("GET", `/app/virtual-balances/${coins}`)).toMatchObject({
      amount: 25,
      availableAmount: 0,
    });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        me.request("POST", `/app/virtual-transactions/${tx.virtualTransactionId}/redeem`),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(await me.json<Balance>("GET", `/app/virtual-balances/${coins}`)).toMatchObject({
      amount: 25,
      availableAmount: 25,
    });
  });

  it("a pending credit cannot be spent before it is redeemed", async () => {
    const { admin, asUser } = testWorkspace();
    const coins = await currency(admin);
    const [alice, bob] = [await user(admin), await user(admin)];
    await admin.json(
      "POST",
      "/dashboard/virtual-transactions",
      { transactions: [{ virtualCurrencyId: coins, redemptionMode: "MANUAL", amount: 25, destinationUserId: alice }] },
      201,
    );
    const res = await asUser(alice).request("POST", "/app/virtual-transactions", {
      transactions: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", amount: 5, destinationUserId: bob }],
    });
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe("wallet.insufficient_balance");
  });

  it("the same idempotency key sent 20 times concurrently applies once", async () => {
    const { admin, asUser } = testWorkspace();
    const coins = await currency(admin);
    const alice = await user(admin);
    const body = {
      transactions: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", amount: 3, destinationUserId: alice }],
    };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        admin.request("POST", "/dashboard/virtual-transactions", body, { "x-idempotency-key": "credit-once" }),
      ),
    );
    // Exactly one request does the work; a duplicate that arrives while it runs gets 409 (in
    // progress), one that arrives after it finished gets the original response replayed.
    const statuses = responses.map((r) => r.status);
    const originals = responses.filter((r) => r.status === 201 && r.headers.get("x-idempotent-replay") !== "true");
    expect(originals).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const originalBody = await originals[0]!.text();
    for (const r of responses.filter((r) => r.status === 201 && r !== originals[0])) {
      expect(await r.text()).toBe(originalBody);
    }
    expect(await asUser(alice).json<Balance>("GET", `/app/virtual-balances/${coins}`)).toMatchObject({ amount: 3 });
    // A later retry with the same key replays the original response.
    const replay = await admin.request("POST", "/dashboard/virtual-transactions", body, {
      "x-idempotency-key": "credit-once",
    });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("x-idempotent-replay")).toBe("true");
    const conflict = await admin.request(
      "POST",
      "/dashboard/virtual-transactions",
      { transactions: [{ ...body.transactions[0], amount: 4 }] },
      { "x-idempotency-key": "credit-once" },
    );
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).error.code).toBe("request.idempotency_conflict");
    expect(await asUser(alice).json<Balance>("GET", `/app/virtual-balances/${coins}`)).toMatchObject({ amount: 3 });
  });
});
