import { newId, QuestlineError } from "@questline/contracts";
import { Hono } from "hono";
import { z } from "zod";
import { configRoutes } from "../engine/config-routes";
import { type LiveEntry, loadLiveConfig } from "../engine/live-config";
import { idSchema, invalid } from "../engine/schemas";
import { backoff, commitTransaction, MAX_ATTEMPTS } from "../events/commit";
import { loadRuleUser } from "../events/pipeline";
import { TransactionBuilder } from "../events/transaction";
import type { CoreEnv } from "../http/env";
import { requireWriter } from "../http/guards";
import { readJson } from "../http/validation";
import { actingUserId } from "../users/acting-user";
import { getUserProfile } from "../users/store";
import { planAssignments } from "./assign";
import {
  computeTarget,
  loadMissions,
  type Mission,
  missionPut,
  missionState,
  newMission,
  toMissionResponse,
} from "./instance";
import { type MissionConfigurationData, missionConfigurationResource, missionRuleResource } from "./model";

export function missionConfigurationRoutes() {
  return configRoutes(missionConfigurationResource);
}

export function missionRuleRoutes() {
  return configRoutes(missionRuleResource);
}

/**
 * The user's missions, after LAZY assignment: published LAZY rules whose current period is
 * ACTIVE create the user's missions (idempotent by id), and missions that have become ACTIVE
 * without a target get it computed and frozen. Returns every mission of the user.
 */
export async function listUserMissions(workspaceId: string, userId: string, now = new Date()): Promise<Mission[]> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const [config, user, missions] = await Promise.all([
      loadLiveConfig(workspaceId),
      loadRuleUser(workspaceId, userId),
      loadMissions(workspaceId, userId),
    ]);
    const created = planAssignments(config, workspaceId, user, new Set(missions.map((m) => m.missionId)), now, {
      mode: "LAZY",
    });
    const tx = new TransactionBuilder();
    for (const mission of created) tx.put(missionPut(mission, null), { kind: "mission", ref: mission.missionId });
    const frozen: Mission[] = [];
    for (const mission of missions) {
      if (mission.targetAmount === null && missionState(mission, now) === "ACTIVE") {
        const next = {
          ...mission,
          targetAmount: computeTarget(mission, user, now),
          rev: mission.rev + 1,
          updatedAt: now.toISOString(),
        };
        tx.put(missionPut(next, mission.rev), { kind: "mission", ref: mission.missionId });
        frozen.push(next);
      }
    }
    const result = await commitTransaction(tx);
    if (result.ok) {
      const byId = new Map(missions.map((m) => [m.missionId, m]));
      for (const m of [...frozen, ...created]) byId.set(m.missionId, m);
      return [...byId.values()].sort(
        (a, b) => b.createdAt.localeCompare(a.createdAt) || a.missionId.localeCompare(b.missionId),
      );
    }
    await backoff(attempt);
  }
  throw new Error("missions could not be assigned");
}

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(100),
  state: z.enum(["PENDING", "ACTIVE", "ENDED"]).optional(),
});

/** `/app/missions`. */
export function missionAppRoutes() {
  const routes = new Hono<CoreEnv>();
  routes.get("/", async (c) => {
    const userId = await actingUserId(c);
    const query = listQuery.safeParse(c.req.query());
    const now = new Date();
    const missions = (await listUserMissions(c.get("identity").workspaceId, userId, now))
      .map((m) => toMissionResponse(m, now))
      .filter((m) => !query.success || !query.data.state || m.state === query.data.state)
      .slice(0, query.success ? query.data.limit : 100);
    return c.json({ items: missions, nextToken: null });
  });
  routes.get("/:missionId", async (c) => {
    const userId = await actingUserId(c);
    const now = new Date();
    const missions = await listUserMissions(c.get("identity").workspaceId, userId, now);
    const mission = missions.find((m) => m.missionId === c.req.param("missionId"));
    if (!mission) throw new QuestlineError("resource.not_found", `mission ${c.req.param("missionId")} not found`);
    return c.json(toMissionResponse(mission, now));
  });
  return routes;
}

const assignSchema = z.strictObject({
  userId: idSchema,
  missionType: z.literal("INDIVIDUAL"),
  missionConfigurationId: idSchema,
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }).optional(),
  currentAmount: z.number().finite().min(0).max(1e12).default(0),
  targetAmount: z.number().finite().positive().max(1e12).optional(),
  timeframeType: z.enum(["RANGE", "PERMANENT"]),
});

/** `POST /dashboard/missions`: manual assignment of a published configuration to a user. */
export function missionDashboardRoutes() {
  const routes = new Hono<CoreEnv>();
  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, assignSchema);
    const ws = identity.workspaceId;
    if (input.timeframeType === "RANGE" && !input.endsAt) throw invalid("endsAt", "required for RANGE");
    if (input.timeframeType === "PERMANENT" && input.endsAt) throw invalid("endsAt", "a PERMANENT mission never ends");
    if (input.endsAt && Date.parse(input.endsAt) <= Date.parse(input.startsAt))
      throw invalid("endsAt", "must be after startsAt");
    if (!(await getUserProfile(ws, input.userId))) throw invalid("userId", "no such user in this workspace");
    const config = (await loadLiveConfig(ws)).missionConfiguration.get(input.missionConfigurationId) as
      | LiveEntry<MissionConfigurationData>
      | undefined;
    if (!config)
      throw invalid("missionConfigurationId", "no published mission configuration with this id in this workspace");
    if (config.data.missionType !== "INDIVIDUAL")
      throw invalid("missionConfigurationId", "not an INDIVIDUAL configuration");
    const now = new Date();
    const user = await loadRuleUser(ws, input.userId);
    const startsAt = new Date(input.startsAt).toISOString();
    const mission = newMission(
      ws,
      user,
      {
        missionId: newId(),
        config,
        periodId: input.timeframeType === "PERMANENT" ? "PERMANENT" : startsAt,
        timeframeType: input.timeframeType,
        startsAt,
        ...(input.endsAt ? { endsAt: new Date(input.endsAt).toISOString() } : {}),
        currentAmount: input.currentAmount,
        ...(input.targetAmount !== undefined ? { targetAmount: input.targetAmount } : {}),
      },
      now,
    );
    const tx = new TransactionBuilder().put(missionPut(mission, null), { kind: "mission" });
    const result = await commitTransaction(tx);
    if (!result.ok) throw new QuestlineError("resource.conflict", "mission could not be created");
    return c.json(toMissionResponse(mission, now), 201);
  });
  return routes;
}
