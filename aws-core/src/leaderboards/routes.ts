import { paginationQuerySchema, QuestlineError } from "@questline/contracts";
import { Hono } from "hono";
import { z } from "zod";
import type { CoreEnv } from "../http/env";
import { requireUser, requireWriter } from "../http/guards";
import { readJson, readQuery } from "../http/validation";
import {
  createConfigurationSchema,
  createInstanceSchema,
  rankingsQuerySchema,
  updateConfigurationSchema,
} from "./model";
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
  const routes = new Hono<CoreEnv>();
  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    return c.json(await createConfiguration(identity, await readJson(c, createConfigurationSchema)), 201);
  });
  routes.get("/", async (c) => {
    const { limit, nextToken } = readQuery(c, paginationQuerySchema);
    return c.json(await listConfigurations(c.get("identity").workspaceId, limit, nextToken));
  });
  routes.get("/:id", async (c) => c.json(await getConfiguration(c.get("identity").workspaceId, c.req.param("id"))));
  routes.put("/:id", async (c) => {
    const identity = requireWriter(c);
    return c.json(await updateConfiguration(identity, c.req.param("id"), await readJson(c, updateConfigurationSchema)));
  });
  routes.post("/:id/instances", async (c) => {
    const identity = requireWriter(c);
    return c.json(await createInstance(identity, c.req.param("id"), await readJson(c, createInstanceSchema)), 201);
  });
  return routes;
}

const listQuerySchema = paginationQuerySchema.extend({ state: z.enum(["PENDING", "ACTIVE", "ENDED"]).optional() });

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
  const routes = new Hono<CoreEnv>();
  const caller = (c: Parameters<typeof requireUser>[0]) => (context === "app" ? requireUser(c).userId : undefined);

  routes.get("/", async (c) => {
    const identity = c.get("identity");
    if (context === "app") requireUser(c);
    const { limit, nextToken, state } = readQuery(c, listQuerySchema);
    await ensureCurrentInstances(identity.workspaceId);
    const page = await listInstances(identity.workspaceId, limit, nextToken);
    const items = page.items.map((i) => toInstanceView(i)).filter((i) => !state || i.state === state);
    return c.json({ items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) });
  });

  routes.get("/:id", async (c) => {
    if (context === "app") requireUser(c);
    return c.json(toInstanceView(await loadInstance(c.get("identity").workspaceId, c.req.param("id"), true)));
  });

  routes.get("/:id/rankings", async (c) => {
    const { limit, offset } = readQuery(c, rankingsQuerySchema);
    const result = await readRankings(leaderboardStore(), c.get("identity").workspaceId, c.req.param("id"), {
      offset,
      limit,
      userId: caller(c),
    });
    return c.json(rankingsView(result));
  });

  if (context === "app") {
    routes.get("/:id/rankings/me", async (c) => {
      const userId = requireUser(c).userId;
      const result = await readRankings(leaderboardStore(), c.get("identity").workspaceId, c.req.param("id"), {
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
    /** Our addition: rebuild the Redis sorted sets of one instance from DynamoDB. */
    routes.post("/:id/rebuild", async (c) => {
      const identity = requireWriter(c);
      const result = await rebuildInstanceById(leaderboardStore(), identity.workspaceId, c.req.param("id"));
      if (!result.rebuilt) {
        throw new QuestlineError("resource.conflict", "A rebuild of this leaderboard is already running");
      }
      return c.json(result);
    });
  }
  return routes;
}
