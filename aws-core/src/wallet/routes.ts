import { z } from "@hono/zod-openapi";
import { QuestlineError } from "@questline/contracts";
import { requireWriter } from "../http/guards";
import { documentedRouter, documentOperation, fieldsQuery, pageSchema } from "../http/openapi";
import { readJson, readQuery } from "../http/validation";
import { loadLiveConfig } from "../records/live";
import { newOwnerFields, ownerShape } from "../records/owner";
import { resourceRoutes } from "../records/resource-routes";
import { idSchema } from "../records/schemas";
import { actingUserId } from "../users/acting-user";
import { liveVirtualCurrencySchema, toLiveVirtualCurrency, virtualCurrencyResource } from "./currency";
import { type Balance, balanceItemSchema, virtualTransactionSchema } from "./ledger";
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

/** The answer of every write: the ledger entries it wrote, in order. */
const virtualTransactionsSchema = z
  .object({ transactions: z.array(virtualTransactionSchema) })
  .openapi("VirtualTransactions");

/** The admin write's answer: each entry with its owner and region (written here, now, for the caller's account). */
const adminTransactionsSchema = z
  .object({ transactions: z.array(virtualTransactionSchema.extend(ownerShape)) })
  .openapi("AdminVirtualTransactions");

/** A user's balance of one currency, with the currency's live version when it has one. */
const virtualBalanceSchema = balanceItemSchema
  .extend({
    isActive: z.boolean().openapi({ description: "The currency is published (not archived)" }),
    virtualCurrency: liveVirtualCurrencySchema
      .optional()
      .openapi({ description: "Absent when the currency has no live version (deleted)" }),
    translation: z
      .object({ lang: z.string(), label: z.string(), description: z.string().optional() })
      .optional()
      .openapi({ description: "With `fields=translation`: the currency's text in its default language" }),
  })
  .openapi("VirtualBalance");
type VirtualBalance = z.infer<typeof virtualBalanceSchema>;

/** `POST /dashboard/virtual-transactions`: admin credits (amount > 0), debits (amount < 0) and moves (sourceUserId). */
export function adminTransactionRoutes() {
  const routes = documentedRouter();
  documentOperation(routes, {
    method: "post",
    path: "/",
    operationId: "dashboard/virtualTransactions/create",
    tag: "VirtualTransactions",
    summary: "Credit, debit or move funds as an admin (one transaction for all items)",
    description:
      "A positive `amount` credits `destinationUserId` from the system (or moves it from `sourceUserId`); a negative one debits `destinationUserId`. MANUAL credits stay PENDING until the user redeems them. A balance limit that would be crossed fails the whole request with 409 `wallet.insufficient_balance` / `wallet.balance_limit`.",
    body: adminTransferSchema,
    responses: { 201: { description: "The ledger entries written", schema: adminTransactionsSchema } },
    writes: true,
  });
  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, adminTransferSchema);
    const entries = await executeTransfers(
      identity.workspaceId,
      { type: "ADMIN", id: identity.userId ?? identity.clientId ?? "admin" },
      input.transactions,
    );
    const owner = newOwnerFields(identity);
    return c.json({ transactions: entries.map((e) => ({ ...toTransactionResponse(e), ...owner })) }, 201);
  });
  return routes;
}

async function balanceResponse(
  workspaceId: string,
  userId: string,
  b: Balance,
  fields: readonly string[] = [],
): Promise<VirtualBalance> {
  const live = (await loadLiveConfig(workspaceId)).virtualCurrency.get(b.virtualCurrencyId);
  const currency = live ? toLiveVirtualCurrency(live) : undefined;
  const text = fields.includes("translation")
    ? (currency?.translations.find((t) => t.lang === currency.defaultLang) ?? currency?.translations[0])
    : undefined;
  return {
    ...b,
    userId,
    isActive: currency?.stage === "PUBLISHED",
    ...(currency ? { virtualCurrency: currency } : {}),
    ...(text
      ? {
          translation: {
            lang: text.lang,
            label: text.label,
            ...(text.description ? { description: text.description } : {}),
          },
        }
      : {}),
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

const balanceFieldsQuery = z.object({
  fields: fieldsQuery(["translation"]).openapi({
    description: "`translation`: add the currency's text in its default language",
  }),
});

/** `/app/virtual-balances`. */
export function balanceAppRoutes() {
  const routes = documentedRouter();
  const tag = "VirtualBalances";
  documentOperation(routes, {
    method: "get",
    path: "/",
    operationId: "app/virtualBalances/list",
    tag,
    summary: "List the user's balances (one per currency ever credited or debited; a single page)",
    query: balanceFieldsQuery,
    responses: { 200: { description: "The user's balances", schema: pageSchema(virtualBalanceSchema) } },
  });
  documentOperation(routes, {
    method: "get",
    path: "/:virtualCurrencyId",
    operationId: "app/virtualBalances/get",
    tag,
    summary: "Get the user's balance of a currency (0 when never moved)",
    query: balanceFieldsQuery,
    responses: { 200: { description: "The balance", schema: virtualBalanceSchema } },
  });
  routes.get("/", async (c) => {
    const userId = await actingUserId(c);
    const { fields = [] } = readQuery(c, balanceFieldsQuery);
    const ws = c.get("identity").workspaceId;
    const items = await Promise.all(
      (await listBalances(ws, userId)).map((b) => balanceResponse(ws, userId, b, fields)),
    );
    return c.json({ items, nextToken: null });
  });
  routes.get("/:virtualCurrencyId", async (c) => {
    const userId = await actingUserId(c);
    const { fields = [] } = readQuery(c, balanceFieldsQuery);
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
        balance ?? { userId, virtualCurrencyId: id, amount: 0, availableAmount: 0, createdAt: now, updatedAt: now },
        fields,
      ),
    );
  });
  return routes;
}

/** `/app/virtual-transactions`. */
export function transactionAppRoutes() {
  const routes = documentedRouter();
  const tag = "VirtualTransactions";
  const page = { description: "A page of the user's ledger entries", schema: pageSchema(virtualTransactionSchema) };
  documentOperation(routes, {
    method: "get",
    path: "/",
    operationId: "app/virtualTransactions/list",
    tag,
    summary: "List the user's ledger entries, newest first by default",
    query: historyQuery,
    responses: { 200: page },
  });
  documentOperation(routes, {
    method: "post",
    path: "/",
    operationId: "app/virtualTransactions/create",
    tag,
    summary: "Transfer funds from the user to other users (one transaction for all items)",
    description:
      "Debits the user and credits each destination; MANUAL credits stay PENDING until the recipient redeems them. Insufficient funds fail the whole request with 409 `wallet.insufficient_balance`.",
    body: appTransferSchema,
    responses: { 200: { description: "The ledger entries written", schema: virtualTransactionsSchema } },
    writes: true,
  });
  documentOperation(routes, {
    method: "post",
    path: "/history/search",
    operationId: "app/virtualTransactions/historySearch",
    tag,
    summary: "Search the user's ledger entries by state, direction, currency and initiator",
    description:
      "`filter` is a set of equality filters (not JsonLogic); `sort.field` only picks the order's direction (entries are always ordered by `createdAt`); `fields` is accepted and not resolved yet.",
    body: searchSchema,
    responses: { 200: page },
  });
  documentOperation(routes, {
    method: "get",
    path: "/:virtualTransactionId",
    operationId: "app/virtualTransactions/get",
    tag,
    summary: "Get one of the user's ledger entries",
    responses: { 200: { description: "The ledger entry", schema: virtualTransactionSchema } },
  });
  documentOperation(routes, {
    method: "post",
    path: "/:virtualTransactionId/redeem",
    operationId: "app/virtualTransactions/redeem",
    tag,
    summary: "Redeem a PENDING (MANUAL) credit of the user, exactly once",
    description: "Anything but an unexpired PENDING credit is 409 `resource.invalid_state`.",
    responses: { 200: { description: "The redeemed entry, COMPLETED", schema: virtualTransactionsSchema } },
    writes: true,
  });
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
