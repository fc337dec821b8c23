import { describe, expect, it } from "vitest";
import { currency, testWorkspace, user } from "../../test/support/callers";

describe("the reference's `fields` on app reads", () => {
  it("virtual balances add the currency's translation only with fields=translation", async () => {
    const { admin, asUser } = testWorkspace();
    const coins = await currency(admin);
    const userId = await user(admin);
    const me = asUser(userId);
    const plain = await me.json<Record<string, unknown>>("GET", `/app/virtual-balances/${coins}`, undefined, 200);
    expect(plain).not.toHaveProperty("translation");
    const one = await me.json<Record<string, unknown>>(
      "GET",
      `/app/virtual-balances/${coins}?fields=translation`,
      undefined,
      200,
    );
    expect(one.translation).toEqual({ lang: "en", label: expect.any(String) });
    await admin.json(
      "POST",
      "/dashboard/virtual-transactions",
      { transactions: [{ virtualCurrencyId: coins, redemptionMode: "AUTO", amount: 3, destinationUserId: userId }] },
      201,
    );
    const list = await me.json<{ items: Record<string, unknown>[] }>(
      "GET",
      "/app/virtual-balances?fields=translation",
      undefined,
      200,
    );
    expect(list.items).toEqual([expect.objectContaining({ amount: 3, translation: one.translation })]);
  });

  it("accepts the reference's parts on users, missions and streaks; an unknown part is a 400", async () => {
    const { admin, asUser } = testWorkspace();
    const userId = await user(admin);
    const me = asUser(userId);
    for (const path of [
      `/dashboard/users/${userId}?fields=tags,stats`,
      "/app/users/me?fields=tags,principal",
      "/app/missions?fields=translation,rewardsPreview",
      "/app/streaks?fields=translation",
      "/dashboard/media?fields=tags,translations",
    ]) {
      const caller = path.startsWith("/dashboard") ? admin : me;
      expect((await caller.request("GET", path)).status, path).toBe(200);
    }
    for (const path of [
      `/dashboard/users/${userId}?fields=secrets`,
      "/app/virtual-balances?fields=everything",
      "/dashboard/media?fields=url",
    ]) {
      const caller = path.startsWith("/dashboard") ? admin : me;
      const res = await caller.request("GET", path);
      expect(res.status, path).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe("request.validation_failed");
      expect(JSON.stringify(error.details)).toContain("fields");
    }
  });
});
