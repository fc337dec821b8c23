import { z } from "@hono/zod-openapi";
import { errorBodySchema, paginationQuerySchema, QuestlineError } from "@questline/contracts";
import type { Context } from "hono";
import type { CoreEnv } from "../http/env";
import { requireWriter } from "../http/guards";
import { documentedRouter, documentOperation, pageSchema } from "../http/openapi";
import { readJson, readQuery } from "../http/validation";
import { actingUserId } from "../users/acting-user";
import {
  createConfigurationSchema,
  createInstanceSchema,
  leaderboardConfigurationViewSchema,
  rankingsQuerySchema,
  runtimeLeaderboardSchema,
  toConfigurationView,
  updateConfigurationSchema,
} from "./model";
import { TIE_BREAK_POLICIES } from "./ranking";
import { rebuildInstanceById } from "./rebuild";
import { getConfiguration, listConfigurations, listInstances } from "./repository";
import { leaderboardStore } from "./runtime";
import {
  createConfiguration,
  createInstance,
  ensureCurrentInstances,
  loadInstance,
  type RankingsResult,
  readRankings,
  toInstanceView,
  updateConfiguration,
} from "./service";
import type { RankingEntry } from "./store";

/** `/dashboard/runtime-leaderboard-configurations` */
export function leaderboardConfigurationRoutes() {
  const routes = documentedRouter();
  const tag = "RuntimeLeaderboardConfigurations";
  const one = { description: "The leaderboard configuration", schema: leaderboardConfigurationViewSchema };
  const id = "runtimeLeaderboardConfigurationId";
  documentOperation(routes, {
    method: "post",
    path: "/",
    operationId: "dashboard/runtimeLeaderboardConfigurations/create",
    tag,
    summary: "Create a leaderboard configuration: who is eligible, what scores, how it is shown",
    description:
      "Unlike the reference's SQL-like `query`, the score is one of the domain's sources (`score`), optionally weighted by a JsonLogic `weightExpression`; see docs/leaderboards-streaks-content.md.",
    body: createConfigurationSchema,
    responses: { 201: one },
    writes: true,
  });
  documentOperation(routes, {
    method: "get",
    path: "/",
    operationId: "dashboard/runtimeLeaderboardConfigurations/list",
    tag,
    summary: "List leaderboard configurations",
    query: paginationQuerySchema,
    responses: {
      200: { description: "A page of configurations", schema: pageSchema(leaderboardConfigurationViewSchema) },
    },
  });
  documentOperation(routes, {
    method: "get",
    path: `/:${id}`,
    operationId: "dashboard/runtimeLeaderboardConfigurations/get",
    tag,
    summary: "Get a leaderboard configuration",
    responses: { 200: one },
  });
  documentOperation(routes, {
    method: "put",
    path: `/:${id}`,
    operationId: "dashboard/runtimeLeaderboardConfigurations/update",
    tag,
    summary: "Update a leaderboard configuration (existing leaderboards keep the settings they were created with)",
    body: updateConfigurationSchema,
    responses: { 200: one },
    writes: true,
  });
  documentOperation(routes, {
    method: "post",
    path: `/:${id}/instances`,
    operationId: "dashboard/runtimeLeaderboardConfigurations/createInstance",
    tag,
    summary: "Start a leaderboard of the configuration: one period, or a recurring schedule of periods",
    description: "Answers with the runtime leaderboard of the current (or first) period.",
    body: createInstanceSchema,
    responses: {
      200: { description: "The runtime leaderboard of the first period", schema: runtimeLeaderboardSchema },
    },
    writes: true,
  });
  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    return c.json(
      toConfigurationView(await createConfiguration(identity, await readJson(c, createConfigurationSchema))),
      201,
    );
  });
  routes.get("/", async (c) => {
    const { limit, nextToken } = readQuery(c, paginationQuerySchema);
    const page = await listConfigurations(c.get("identity").workspaceId, limit, nextToken);
    return c.json({ items: page.items.map(toConfigurationView), nextToken: page.nextToken ?? null });
  });
  routes.get(`/:${id}`, async (c) =>
    c.json(toConfigurationView(await getConfiguration(c.get("identity").workspaceId, c.req.param(id)))),
  );
  routes.put(`/:${id}`, async (c) => {
    const identity = requireWriter(c);
    return c.json(
      toConfigurationView(
        await updateConfiguration(identity, c.req.param(id), await readJson(c, updateConfigurationSchema)),
      ),
    );
  });
  routes.post(`/:${id}/instances`, async (c) => {
    const identity = requireWriter(c);
    return c.json(await createInstance(identity, c.req.param(id), await readJson(c, createInstanceSchema)), 200);
  });
  return routes;
}

const listQuerySchema = paginationQuerySchema.extend({ state: z.enum(["PENDING", "ACTIVE", "ENDED"]).optional() });

/** A ranked user; `rank` and `score` are left out when the leaderboard hides them. */
const rankingEntrySchema = z
  .object({
    rank: z.number().int().min(1).optional().openapi({ description: "Absent when `showRank` is false" }),
    entityId: z.string().openapi({ description: "The user's id" }),
    entityType: z.enum(["User"]),
    primaryEntityName: z.string().optional().openapi({ description: "The user's display name" }),
    entityImageUrl: z.string().optional(),
    score: z.number().optional().openapi({ description: "Absent when `showScore` is false" }),
  })
  .openapi("RankingEntry");

const rankingsSchema = z
  .object({
    items: z.array(rankingEntrySchema).openapi({ description: "Never past the leaderboard's `displayTopN`" }),
    totalCount: z.number().int().min(0).openapi({ description: "Every ranked user" }),
    currentEntityRank: rankingEntrySchema
      .optional()
      .openapi({ description: "App tokens: the user's own entry, when ranked" }),
    leaderboard: z.object({
      runtimeLeaderboardId: z.string(),
      name: z.string(),
      displayTopN: z.number().int().min(1),
      showScore: z.boolean(),
      showRank: z.boolean(),
      tieBreak: z.enum(TIE_BREAK_POLICIES),
    }),
  })
  .openapi("RuntimeLeaderboardRankings");

const myRankingSchema = z
  .object({
    rank: z.number().int().min(1).nullable().openapi({ description: "Null when unranked or ranks are hidden" }),
    score: z.number().nullable().openapi({ description: "Null when unranked or scores are hidden" }),
    totalParticipants: z.number().int().min(0),
  })
  .openapi("RuntimeLeaderboardMyRanking");

const rebuildSchema = z
  .object({
    instanceId: z.string().openapi({ description: "The runtime leaderboard rebuilt" }),
    members: z.number().int().min(0).openapi({ description: "Ranked users written to Redis" }),
    rebuilt: z.literal(true),
  })
  .openapi("RuntimeLeaderboardRebuild");

function entryView(entry: RankingEntry, instance: RankingsResult["instance"]) {
  return {
    ...(instance.showRank ? { rank: entry.rank } : {}),
    entityId: entry.userId,
    entityType: "User",
    ...(entry.displayName ? { primaryEntityName: entry.displayName } : {}),
    ...(entry.image ? { entityImageUrl: entry.image } : {}),
    ...(instance.showScore ? { score: entry.score } : {}),
  };
}

function rankingsView(result: RankingsResult) {
  const { instance } = result;
  return {
    items: result.items.map((e) => entryView(e, instance)),
    totalCount: result.totalCount,
    ...(result.me ? { currentEntityRank: entryView(result.me, instance) } : {}),
    leaderboard: {
      runtimeLeaderboardId: instance.runtimeLeaderboardId,
      name: instance.name,
      displayTopN: instance.displayTopN,
      showScore: instance.showScore,
      showRank: instance.showRank,
      tieBreak: instance.tieBreak,
    },
  };
}

/** Shared by `/dashboard/runtime-leaderboards` and `/app/runtime-leaderboards`. */
export function runtimeLeaderboardRoutes(context: "app" | "dashboard") {
  const routes = documentedRouter();
  // App tokens act for a user (an M2M token names it with `x-user-id` / `x-external-user-id`).
  const caller = async (c: Context<CoreEnv>) => (context === "app" ? await actingUserId(c) : undefined);
  const tag = context === "app" ? "RuntimeLeaderboards" : "Runtime Leaderboards";
  const op = (verb: string) => `${context}/runtimeLeaderboards/${verb}`;
  const id = "runtimeLeaderboardId";
  documentOperation(routes, {
    method: "get",
    path: "/",
    operationId: op("list"),
    tag,
    summary: "List runtime leaderboards (the current period of each schedule is created on the way)",
    description: "`state` filters the page after it is read, so a page may hold fewer than `limit` items.",
    query: listQuerySchema,
    responses: { 200: { description: "A page of runtime leaderboards", schema: pageSchema(runtimeLeaderboardSchema) } },
  });
  documentOperation(routes, {
    method: "get",
    path: `/:${id}`,
    operationId: op("get"),
    tag,
    summary: "Get a runtime leaderboard",
    responses: { 200: { description: "The runtime leaderboard", schema: runtimeLeaderboardSchema } },
  });
  documentOperation(routes, {
    method: "get",
    path: `/:${id}/rankings`,
    operationId: op("getRankings"),
    tag,
    summary: "Rankings of a runtime leaderboard, from `offset`, up to its `displayTopN`",
    description: "Answers 503 with `Retry-After` while the board is being rebuilt from DynamoDB (after Redis lost it).",
    query: rankingsQuerySchema,
    responses: {
      200: { description: "The rankings", schema: rankingsSchema },
      503: { description: "Being rebuilt: retry after `Retry-After`", schema: errorBodySchema as unknown as z.ZodType },
    },
  });

  routes.get("/", async (c) => {
    const identity = c.get("identity");
    await caller(c);
    const { limit, nextToken, state } = readQuery(c, listQuerySchema);
    await ensureCurrentInstances(identity.workspaceId);
    const page = await listInstances(identity.workspaceId, limit, nextToken);
    const items = page.items.map((i) => toInstanceView(i)).filter((i) => !state || i.state === state);
    return c.json({ items, nextToken: page.nextToken ?? null });
  });

  routes.get(`/:${id}`, async (c) => {
    await caller(c);
    return c.json(toInstanceView(await loadInstance(c.get("identity").workspaceId, c.req.param(id), true)));
  });

  routes.get(`/:${id}/rankings`, async (c) => {
    const { limit, offset } = readQuery(c, rankingsQuerySchema);
    const userId = await caller(c);
    const result = await readRankings(leaderboardStore(), c.get("identity").workspaceId, c.req.param(id), {
      offset,
      limit,
      userId,
    });
    return c.json(rankingsView(result));
  });

  if (context === "app") {
    documentOperation(routes, {
      method: "get",
      path: `/:${id}/rankings/me`,
      operationId: op("getMyRanking"),
      tag,
      summary: "The user's rank and score in a runtime leaderboard",
      responses: { 200: { description: "The user's ranking", schema: myRankingSchema } },
    });
    routes.get(`/:${id}/rankings/me`, async (c) => {
      const userId = await actingUserId(c);
      const result = await readRankings(leaderboardStore(), c.get("identity").workspaceId, c.req.param(id), {
        offset: 0,
        limit: 0,
        userId,
      });
      const me = result.me;
      return c.json({
        rank: me && result.instance.showRank ? me.rank : null,
        score: me && result.instance.showScore ? me.score : null,
        totalParticipants: result.totalCount,
      });
    });
  } else {
    documentOperation(routes, {
      method: "post",
      path: `/:${id}/rebuild`,
      operationId: op("rebuild"),
      tag,
      summary: "Rebuild a runtime leaderboard's rankings in Redis from DynamoDB (not in the reference)",
      description: "409 `resource.conflict` while another rebuild of it is running.",
      responses: { 200: { description: "The rebuild, done", schema: rebuildSchema } },
      writes: true,
    });
    /** Our addition: rebuild the Redis sorted sets of one instance from DynamoDB. */
    routes.post(`/:${id}/rebuild`, async (c) => {
      const identity = requireWriter(c);
      const result = await rebuildInstanceById(leaderboardStore(), identity.workspaceId, c.req.param(id));
      if (!result.rebuilt) {
        throw new QuestlineError("resource.conflict", "A rebuild of this leaderboard is already running");
      }
      return c.json(result);
    });
  }
  return routes;
}
