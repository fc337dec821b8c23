import { QuestlineError } from "@questline/contracts";
import { Hono } from "hono";
import { z } from "zod";
import type { CoreEnv } from "../http/env";
import { requireWriter } from "../http/guards";
import { readJson, readQuery } from "../http/validation";
import { type LiveEntry, loadLiveConfig } from "../records/live";
import { resourceRoutes } from "../records/resource-routes";
import { idSchema } from "../records/schemas";
import { actingUserId } from "../users/acting-user";
import { type VirtualCurrencyData, virtualCurrencyResource } from "./currency";
import {
  executeTransfers,
  getBalance,
  getTransaction,
  listBalances,
  redeemTransaction,
  searchTransactions,
  toTransactionResponse,
} from "./operations";

export function virtualCurrencyRoutes() {
  return resourceRoutes(virtualCurrencyResource);
}

const amount = z.number().finite().max(1e12);
const transferItem = z.strictObject({
  virtualCurrencyId: idSchema,
  redemptionMode: z.enum(["AUTO", "MANUAL"]),
  amount: amount.positive(),
  destinationUserId: idSchema,
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  additionalData: z.record(z.string(), z.unknown()).optional(),
  virtualTransactionGroupId: idSchema.optional(),
});
const appTransferSchema = z.strictObject({ transactions: z.array(transferItem).min(1).max(20) });
const adminTransferSchema = z.strictObject({
  transactions: z
    .array(
      transferItem.extend({
        amount: amount.min(-1e12).refine((n) => n !== 0, "must not be 0"),
        sourceUserId: idSchema.optional(),
      }),
    )
    .min(1)
    .max(20),
});

/** `POST /dashboard/virtual-transactions`: admin credits (amount > 0), debits (amount < 0) and moves (sourceUserId). */
export function adminTransactionRoutes() {
  const routes = new Hono<CoreEnv>();
  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, adminTransferSchema);
    const entries = await executeTransfers(
      identity.workspaceId,
      { type: "ADMIN", id: identity.userId ?? identity.clientId ?? "admin" },
      input.transactions,
    );
    return c.json({ transactions: entries.map((e) => toTransactionResponse(e)) }, 201);
  });
  return routes;
}

async function balanceResponse(
  workspaceId: string,
  userId: string,
  b: { virtualCurrencyId: string } & Record<string, unknown>,
) {
  const currency = (await loadLiveConfig(workspaceId)).virtualCurrency.get(b.virtualCurrencyId) as
    | LiveEntry<VirtualCurrencyData>
    | undefined;
  return {
    ...b,
    userId,
    isActive: currency?.data.state === "PUBLISHED",
    ...(currency ? { virtualCurrency: { virtualCurrencyId: currency.id, ...currency.data } } : {}),
  };
}

const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  nextToken: z.string().max(2048).optional(),
  order: z.enum(["asc", "desc"]).default("desc"),
});
const searchSchema = z.strictObject({
  filter: z
    .strictObject({
      state: z.enum(["PENDING", "COMPLETED", "EXPIRED", "REJECTED"]).optional(),
      direction: z.enum(["CREDIT", "DEBIT"]).optional(),
      virtualCurrencyId: idSchema.optional(),
      initiatorType: z.enum(["USER", "REWARD_RULE", "STREAK_RULE", "SYSTEM", "ADMIN"]).optional(),
    })
    .optional(),
  sort: z.strictObject({ field: z.enum(["createdAt", "updatedAt"]), order: z.enum(["asc", "desc"]) }).optional(),
  limit: z.number().int().min(1).max(100).default(20),
  nextToken: z.string().max(2048).nullable().optional(),
  fields: z.array(z.enum(["rewardRule", "sourceEntity", "virtualCurrency", "streakRule"])).optional(),
});

/** `/app/virtual-balances`. */
export function balanceAppRoutes() {
  const routes = new Hono<CoreEnv>();
  routes.get("/", async (c) => {
    const userId = await actingUserId(c);
    const ws = c.get("identity").workspaceId;
    const items = await Promise.all((await listBalances(ws, userId)).map((b) => balanceResponse(ws, userId, b)));
    return c.json({ items, nextToken: null });
  });
  routes.get("/:virtualCurrencyId", async (c) => {
    const userId = await actingUserId(c);
    const ws = c.get("identity").workspaceId;
    const id = c.req.param("virtualCurrencyId");
    const config = await loadLiveConfig(ws);
    const balance = await getBalance(ws, userId, id);
    if (!balance && !config.virtualCurrency.has(id))
      throw new QuestlineError("resource.not_found", `virtual currency ${id} not found`);
    const now = new Date().toISOString();
    return c.json(
      await balanceResponse(
        ws,
        userId,
        balance ?? { virtualCurrencyId: id, amount: 0, availableAmount: 0, createdAt: now, updatedAt: now },
      ),
    );
  });
  return routes;
}

/** `/app/virtual-transactions`. */
export function transactionAppRoutes() {
  const routes = new Hono<CoreEnv>();
  routes.get("/", async (c) => {
    const userId = await actingUserId(c);
    const query = readQuery(c, historyQuery);
    return c.json(await searchTransactions(c.get("identity").workspaceId, userId, query));
  });
  routes.post("/", async (c) => {
    const userId = await actingUserId(c);
    const input = await readJson(c, appTransferSchema);
    const entries = await executeTransfers(
      c.get("identity").workspaceId,
      { type: "USER", id: userId, sourceUserId: userId },
      input.transactions,
    );
    return c.json({ transactions: entries.map((e) => toTransactionResponse(e)) }, 200);
  });
  routes.post("/history/search", async (c) => {
    const userId = await actingUserId(c);
    const input = await readJson(c, searchSchema);
    return c.json(
      await searchTransactions(c.get("identity").workspaceId, userId, {
        limit: input.limit,
        nextToken: input.nextToken,
        order: input.sort?.order ?? "desc",
        ...(input.filter ? { filter: input.filter } : {}),
      }),
    );
  });
  routes.get("/:virtualTransactionId", async (c) => {
    const userId = await actingUserId(c);
    return c.json(
      toTransactionResponse(
        await getTransaction(c.get("identity").workspaceId, userId, c.req.param("virtualTransactionId")),
      ),
    );
  });
  routes.post("/:virtualTransactionId/redeem", async (c) => {
    const userId = await actingUserId(c);
    const entry = await redeemTransaction(c.get("identity").workspaceId, userId, c.req.param("virtualTransactionId"));
    return c.json({ transactions: [toTransactionResponse(entry)] });
  });
  return routes;
}
