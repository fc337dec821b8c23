import { newId, paginationQuerySchema, QuestlineError } from "@questline/contracts";
import { z } from "zod";
import { requireWriter } from "../http/guards";
import { documentedRouter, documentOperation, pageSchema, referenceFieldsQuery } from "../http/openapi";
import { readJson, readQuery } from "../http/validation";
import { backoff, commitTransaction, MAX_ATTEMPTS } from "../pipeline/commit";
import { TransactionBuilder } from "../pipeline/transaction";
import { invalidateLiveConfig, type LiveEntry, liveSnapshotPut, loadLiveConfig } from "../records/live";
import { newOwnerFields, ownerShape } from "../records/owner";
import { resourceRoutes } from "../records/resource-routes";
import { idSchema, invalid } from "../records/schemas";
import { actingUserId } from "../users/acting-user";
import { loadRuleUser } from "../users/rule-user";
import { getUserProfile } from "../users/store";
import { type ManualGroupMission, planAssignments, userGroupTags } from "./assign";
import {
  computeTarget,
  loadGroupMissions,
  loadMissions,
  type Mission,
  missionPut,
  missionResponseSchema,
  missionState,
  newMission,
  toMissionResponse,
} from "./instance";
import { type MissionConfigurationData, missionConfigurationResource, missionRuleResource } from "./model";

export function missionConfigurationRoutes() {
  return resourceRoutes(missionConfigurationResource);
}

export function missionRuleRoutes() {
  return resourceRoutes(missionRuleResource);
}

/**
 * The user's missions, after LAZY assignment: published LAZY rules whose current period is
 * ACTIVE create the user's missions — and the GROUP missions of the user's groups — (idempotent
 * by id), and missions that have become ACTIVE without a target get it computed and frozen.
 * Returns every mission of the user and of the groups of published GROUP rules the user is in,
 * newest first.
 */
export async function listUserMissions(workspaceId: string, userId: string, now = new Date()): Promise<Mission[]> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const [config, user, own] = await Promise.all([
      loadLiveConfig(workspaceId),
      loadRuleUser(workspaceId, userId),
      loadMissions(workspaceId, userId),
    ]);
    const groups = await Promise.all(
      userGroupTags(config, user, now).map((tag) => loadGroupMissions(workspaceId, tag)),
    );
    const missions = [...own, ...groups.flat()];
    const created = planAssignments(config, workspaceId, user, new Set(missions.map((m) => m.missionId)), now, {
      mode: "LAZY",
    });
    const tx = new TransactionBuilder();
    for (const mission of created) tx.put(missionPut(mission, null), { kind: "mission", ref: mission.missionId });
    const frozen: Mission[] = [];
    for (const mission of own) {
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
      return [...byId.values()].sort(newestFirst);
    }
    // Another member (or listing) created a mission first: reload.
    await backoff(attempt);
  }
  throw new Error("missions could not be assigned");
}

function newestFirst(a: Pick<Mission, "createdAt" | "missionId">, b: Pick<Mission, "createdAt" | "missionId">) {
  return b.createdAt.localeCompare(a.createdAt) || a.missionId.localeCompare(b.missionId);
}

const missionFieldsQuery = referenceFieldsQuery(["translation", "rewardsPreview"], ["translation"], ["rewardsPreview"]);

const listQuery = paginationQuerySchema.extend({
  ...missionFieldsQuery.shape,
  state: z.enum(["PENDING", "ACTIVE", "ENDED"]).optional(),
  order: z.enum(["asc", "desc"]).default("desc"),
});

/** A position in the ordered list: the last mission returned (not a DynamoDB key). */
const cursorSchema = z.strictObject({ createdAt: z.string().min(1).max(40), missionId: z.string().min(1).max(64) });

function encodeCursor(mission: Pick<Mission, "createdAt" | "missionId">): string {
  return Buffer.from(JSON.stringify({ createdAt: mission.createdAt, missionId: mission.missionId })).toString(
    "base64url",
  );
}

function decodeCursor(token: string): z.infer<typeof cursorSchema> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    decoded = null;
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success) {
    throw new QuestlineError("request.validation_failed", "nextToken is invalid", {
      details: [{ path: "nextToken", message: "not a token returned by this endpoint" }],
    });
  }
  return parsed.data;
}

/**
 * One page of an ordered list: the items after the cursor. The cursor is a position
 * (createdAt, missionId), so missions created between two pages never shift or repeat items.
 */
export function pageAfter<T extends Pick<Mission, "createdAt" | "missionId">>(
  ordered: readonly T[],
  order: "asc" | "desc",
  limit: number,
  nextToken?: string,
): { items: T[]; nextToken: string | null } {
  const direction = order === "desc" ? 1 : -1;
  const after = nextToken ? decodeCursor(nextToken) : null;
  const rest = after ? ordered.filter((m) => newestFirst(after, m) * direction < 0) : ordered;
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  return { items, nextToken: rest.length > limit && last ? encodeCursor(last) : null };
}

/** `/app/missions`: `limit` (1–100, default 20), `nextToken`, `state`, `order` (by creation; default newest first). */
export function missionAppRoutes() {
  const routes = documentedRouter();
  documentOperation(routes, {
    method: "get",
    path: "/",
    operationId: "app/missions/list",
    tag: "Missions",
    actingUser: true,
    summary: "List the user's missions (LAZY rules assign theirs first), by creation",
    query: listQuery,
    responses: { 200: { description: "A page of missions", schema: pageSchema(missionResponseSchema) } },
  });
  documentOperation(routes, {
    method: "get",
    path: "/:missionId",
    operationId: "app/missions/get",
    tag: "Missions",
    actingUser: true,
    summary: "Get one of the user's missions (or of the user's groups)",
    query: missionFieldsQuery,
    responses: { 200: { description: "The mission", schema: missionResponseSchema } },
  });
  routes.get("/", async (c) => {
    const userId = await actingUserId(c);
    const query = readQuery(c, listQuery);
    const now = new Date();
    const missions = await listUserMissions(c.get("identity").workspaceId, userId, now);
    const ordered = query.order === "desc" ? missions : [...missions].reverse();
    const views = ordered
      .map((m) => ({ mission: m, view: toMissionResponse(m, now) }))
      .filter(({ view }) => !query.state || view.state === query.state);
    const page = pageAfter(
      views.map(({ mission, view }) => ({ createdAt: mission.createdAt, missionId: mission.missionId, view })),
      query.order,
      query.limit,
      query.nextToken,
    );
    return c.json({ items: page.items.map((i) => i.view), nextToken: page.nextToken });
  });
  routes.get("/:missionId", async (c) => {
    const userId = await actingUserId(c);
    readQuery(c, missionFieldsQuery);
    const now = new Date();
    const missions = await listUserMissions(c.get("identity").workspaceId, userId, now);
    const mission = missions.find((m) => m.missionId === c.req.param("missionId"));
    if (!mission) throw new QuestlineError("resource.not_found", `mission ${c.req.param("missionId")} not found`);
    return c.json(toMissionResponse(mission, now));
  });
  return routes;
}

const assignFields = {
  missionConfigurationId: idSchema,
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }).optional(),
  currentAmount: z.number().finite().min(0).max(1e12).default(0),
  targetAmount: z.number().finite().positive().max(1e12).optional(),
  timeframeType: z.enum(["RANGE", "PERMANENT"]),
};

/** INDIVIDUAL: to one user (`userId`); GROUP: to everyone carrying a tag (`groupTagId`). */
const assignSchema = z.discriminatedUnion("missionType", [
  z.strictObject({ missionType: z.literal("INDIVIDUAL"), userId: idSchema, ...assignFields }),
  z.strictObject({ missionType: z.literal("GROUP"), groupTagId: idSchema, ...assignFields }),
]);

/** Ended manual GROUP missions leave the live registry this long after their end (DynamoDB TTL). */
const REGISTRY_RETENTION_SECONDS = 7 * 24 * 3600;

/**
 * `POST /dashboard/missions`: manual assignment of a published configuration to a user
 * (INDIVIDUAL) or to a group (GROUP, `groupTagId`: a published tag). A GROUP mission lives in
 * the group's partition like a rule's, and is registered in the live configuration
 * (`groupMission#<id>`, same transaction) so the event pipeline and the listing find it; its
 * target is computed now, without a user (the mission is shared), unless given.
 */
const dashboardMissionSchema = missionResponseSchema.extend(ownerShape).openapi("DashboardMission");

export function missionDashboardRoutes() {
  const routes = documentedRouter();
  documentOperation(routes, {
    method: "post",
    path: "/",
    operationId: "dashboard/missions/create",
    tag: "Missions",
    summary: "Assign a published mission configuration to a user (INDIVIDUAL) or a group tag (GROUP)",
    body: assignSchema,
    responses: { 201: { description: "The mission, created", schema: dashboardMissionSchema } },
    writes: true,
  });
  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, assignSchema);
    const ws = identity.workspaceId;
    if (input.timeframeType === "RANGE" && !input.endsAt) throw invalid("endsAt", "required for RANGE");
    if (input.timeframeType === "PERMANENT" && input.endsAt) throw invalid("endsAt", "a PERMANENT mission never ends");
    if (input.endsAt && Date.parse(input.endsAt) <= Date.parse(input.startsAt))
      throw invalid("endsAt", "must be after startsAt");
    const live = await loadLiveConfig(ws);
    const group = input.missionType === "GROUP";
    if (input.missionType === "INDIVIDUAL") {
      if (!(await getUserProfile(ws, input.userId))) throw invalid("userId", "no such user in this workspace");
    } else if (!live.tag.has(input.groupTagId)) {
      throw invalid("groupTagId", "no published tag with this id in this workspace");
    }
    const config = live.missionConfiguration.get(input.missionConfigurationId) as
      | LiveEntry<MissionConfigurationData>
      | undefined;
    if (!config)
      throw invalid("missionConfigurationId", "no published mission configuration with this id in this workspace");
    if (config.data.missionType !== input.missionType)
      throw invalid("missionConfigurationId", `not an ${input.missionType} configuration`);
    const now = new Date();
    const user = input.missionType === "INDIVIDUAL" ? await loadRuleUser(ws, input.userId) : null;
    const startsAt = new Date(input.startsAt).toISOString();
    const endsAt = input.endsAt ? new Date(input.endsAt).toISOString() : undefined;
    const mission = newMission(
      ws,
      user,
      {
        missionId: newId(),
        config,
        periodId: input.timeframeType === "PERMANENT" ? "PERMANENT" : startsAt,
        timeframeType: input.timeframeType,
        startsAt,
        ...(endsAt ? { endsAt } : {}),
        currentAmount: input.currentAmount,
        ...(input.targetAmount !== undefined ? { targetAmount: input.targetAmount } : {}),
        ...(input.missionType === "GROUP" ? { groupTagId: input.groupTagId } : {}),
      },
      now,
    );
    // A shared mission's target does not wait for a member: computed now, over `{ mission }`.
    if (group && mission.targetAmount === null) mission.targetAmount = computeTarget(mission, null, now);
    const tx = new TransactionBuilder().put(missionPut(mission, null), { kind: "mission" });
    if (input.missionType === "GROUP") {
      const registry: ManualGroupMission = {
        missionId: mission.missionId,
        groupTagId: input.groupTagId,
        startsAt,
        ...(endsAt ? { endsAt } : {}),
      };
      const put = liveSnapshotPut(ws, { kind: "groupMission", id: mission.missionId, version: 1, data: registry });
      const ttl = endsAt ? { ttl: Math.floor(Date.parse(endsAt) / 1000) + REGISTRY_RETENTION_SECONDS } : {};
      tx.put({ ...put, Item: { ...put.Item, ...ttl } }, { kind: "live" });
    }
    const result = await commitTransaction(tx);
    if (!result.ok) throw new QuestlineError("resource.conflict", "mission could not be created");
    if (group) invalidateLiveConfig(ws);
    // Created here, now, by the caller's account.
    return c.json({ ...toMissionResponse(mission, now), ...newOwnerFields(identity) }, 201);
  });
  return routes;
}
