import { z } from "@hono/zod-openapi";
import {
  entityIdSchema,
  learningProgressSchema,
  newId,
  paginationQuerySchema,
  QuestlineError,
} from "@questline/contracts";
import { requireWriter } from "../../http/guards";
import { documentedRouter, documentOperation, pageSchema, referenceFieldsQuery } from "../../http/openapi";
import { readJson, readQuery } from "../../http/validation";
import { recordRef } from "../../records/kinds";
import { newOwnerFields, ownerFields } from "../../records/owner";
import { assertReferencesExist } from "../../records/references";
import { type CatalogRecord, getCatalogRecord, requireCatalogRecord } from "../../records/store";
import { evaluateCondition } from "../../rules/jsonlogic";
import { jsonLogicField } from "../../rules/schemas";
import { userReference } from "../../tenancy/keys";
import { actingUserId } from "../../users/acting-user";
import { publishedItemView, toAppView } from "../app-view";
import type { LearningItemRef } from "../learning-groups/model";
import { getProgress, progressView, progressViewSchema } from "../progress/store";
import { assignFromRules } from "./assign";
import {
  type Assignment,
  assignmentState,
  createAssignment,
  dashboardAssignmentSchema,
  findAssignment,
  listWorkspaceAssignments,
  saveAssignment,
} from "./store";

export const createAssignmentSchema = z.strictObject({
  learningPathId: entityIdSchema,
  userId: entityIdSchema,
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }).optional(),
  visibility: z.enum(["LOCKED", "UNLOCKED"]),
  groupId: z.string().min(1).max(64).optional(),
  timeframeType: z.enum(["RANGE", "PERMANENT"]),
});

/**
 * A dashboard assignment. One a rule created has no caller of its own: its account is the
 * workspace's, which the caller's verified identity names.
 */
function toDashboardAssignment(a: Assignment, caller: { accountId?: string | undefined }, now = new Date()) {
  const { rev: _rev, ...rest } = a;
  return {
    ...rest,
    ...ownerFields({ ...a, accountId: a.accountId ?? caller.accountId }),
    state: assignmentState(a, now),
  };
}

/** The path fields of a learning path record that a dashboard assignment shows (as the reference does). */
interface PathSummaryData {
  origin: "CATALOG" | "AI" | "CUSTOM";
  title: string;
  description?: string;
  image?: string;
  estimatedDuration: number;
  defaultLang: string;
  langs: string[];
}

function pathSummary(path: CatalogRecord<PathSummaryData> | null) {
  if (!path) return {};
  const { origin, title, description, image, estimatedDuration, defaultLang, langs } = path.data;
  return {
    origin,
    title,
    ...(description ? { description } : {}),
    ...(image ? { image } : {}),
    estimatedDuration,
    defaultLang,
    langs,
  };
}

/** A dashboard assignment with its path's fields (one read of the path). */
async function dashboardAssignmentView(a: Assignment, caller: { accountId?: string | undefined }) {
  const path = await getCatalogRecord<PathSummaryData>(recordRef(a, "learningPath", a.learningPathId));
  return { ...pathSummary(path), ...toDashboardAssignment(a, caller) };
}

/** `/dashboard/learning-path-assignments`: manual assignment, list, get. */
export function assignmentDashboardRoutes() {
  const routes = documentedRouter();
  const tag = "LearningPathAssignments";
  documentOperation(routes, {
    method: "post",
    path: "/",
    operationId: "dashboard/learningPathAssignments/create",
    tag,
    summary: "Assign a published learning path to a user",
    body: createAssignmentSchema,
    responses: { 201: { description: "The assignment", schema: dashboardAssignmentSchema } },
    writes: true,
  });
  documentOperation(routes, {
    method: "get",
    path: "/",
    operationId: "dashboard/learningPathAssignments/list",
    tag,
    summary: "List the workspace's learning path assignments",
    query: paginationQuerySchema,
    responses: { 200: { description: "A page of assignments", schema: pageSchema(dashboardAssignmentSchema) } },
  });
  documentOperation(routes, {
    method: "get",
    path: "/:learningPathAssignmentId",
    operationId: "dashboard/learningPathAssignments/get",
    tag,
    summary: "Get a learning path assignment",
    responses: { 200: { description: "The assignment", schema: dashboardAssignmentSchema } },
  });

  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, createAssignmentSchema);
    if (input.timeframeType === "RANGE" && !input.endsAt) {
      throw new QuestlineError("request.validation_failed", "Request body is invalid", {
        details: [{ path: "endsAt", message: "is required when timeframeType is RANGE" }],
      });
    }
    const path = await getCatalogRecord<PathSummaryData>(recordRef(identity, "learningPath", input.learningPathId));
    if (path?.catalog.state !== "PUBLISHED") {
      throw new QuestlineError("resource.not_found", `No published learning path ${input.learningPathId}`);
    }
    await assertReferencesExist([userReference(identity.workspaceId, "userId", input.userId)]);
    const at = new Date().toISOString();
    const assignment: Assignment = {
      learningPathAssignmentId: newId(),
      learningPathId: input.learningPathId,
      userId: input.userId,
      ...newOwnerFields(identity),
      ...(input.groupId ? { groupId: input.groupId } : {}),
      periodId: input.timeframeType === "RANGE" ? input.startsAt : "PERMANENT",
      timeframeType: input.timeframeType,
      startsAt: input.startsAt,
      ...(input.endsAt ? { endsAt: input.endsAt } : {}),
      visibility: input.visibility,
      currentAttempt: 1,
      createdAt: at,
      updatedAt: at,
      rev: 1,
    };
    if (!(await createAssignment(assignment))) {
      throw new QuestlineError(
        "resource.conflict",
        `User ${input.userId} is already assigned learning path ${input.learningPathId}`,
      );
    }
    return c.json({ ...pathSummary(path), ...toDashboardAssignment(assignment, identity) }, 201);
  });

  routes.get("/", async (c) => {
    const { limit, nextToken } = readQuery(c, paginationQuerySchema);
    const page = await listWorkspaceAssignments(c.get("identity").workspaceId, { limit, nextToken });
    const caller = c.get("identity");
    const items = await Promise.all(page.items.map((a) => dashboardAssignmentView(a, caller)));
    return c.json({ items, nextToken: page.nextToken });
  });

  routes.get("/:learningPathAssignmentId", async (c) => {
    const found = await findAssignment(c.get("identity").workspaceId, c.req.param("learningPathAssignmentId"));
    if (!found)
      throw new QuestlineError("resource.not_found", `assignment ${c.req.param("learningPathAssignmentId")} not found`);
    return c.json(await dashboardAssignmentView(found, c.get("identity")));
  });

  return routes;
}

interface PathData {
  items: LearningItemRef[];
}

/** The app view of an assignment: the path's catalog view, the assignment, and the user's progress. */
async function appAssignmentView(a: Assignment, lang: string | undefined, now: Date) {
  const path = await getCatalogRecord<PathData>(recordRef(a, "learningPath", a.learningPathId));
  if (!path) return null;
  const record = await getProgress(a.workspaceId, a.userId, "learningPath", a.learningPathId, a.currentAttempt);
  const { rev: _rev, ...assignment } = a;
  return {
    ...toAppView("learningPathId", path, lang),
    items: path.data.items,
    ...assignment,
    ...ownerFields(a),
    state: assignmentState(a, now),
    progress: progressView(record, path.data.items),
  };
}

async function requireOwnAssignment(workspaceId: string, userId: string, id: string): Promise<Assignment> {
  const found = await findAssignment(workspaceId, id);
  if (!found || found.userId !== userId) throw new QuestlineError("resource.not_found", `assignment ${id} not found`);
  return found;
}

/** The reference's `fields` on the app's assignment reads: the path's tags, text, items and the user's progress are always in the view. */
const appAssignmentFields = referenceFieldsQuery(
  ["tags", "translation", "items", "progress", "rewardsPreview"],
  ["tags", "translation", "items", "progress"],
  ["rewardsPreview"],
).shape;

const appListQuery = paginationQuerySchema.extend({
  ...appAssignmentFields,
  visibility: z.enum(["LOCKED", "UNLOCKED"]).optional(),
  state: z.enum(["PENDING", "ACTIVE", "ENDED"]).optional(),
  progressStatus: z.enum(["NOT_STARTED", "IN_PROGRESS", "COMPLETED"]).optional(),
  lang: z.string().max(35).optional(),
  order: z.enum(["asc", "desc"]).optional(),
  sort: z.enum(["updatedAt"]).optional(),
});

const langQuery = z.object({ lang: z.string().max(35).optional() });
const appGetQuery = langQuery.extend(appAssignmentFields);

/** An assignment as the app sees it (`appAssignmentView`): the path, the assignment and the user's progress. */
const appAssignmentSchema = dashboardAssignmentSchema
  .extend({
    origin: z.string(),
    defaultLang: z.string(),
    langs: z.array(z.string()),
    lang: z.string(),
    title: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    version: z.number().int(),
    items: z.array(z.object({ itemId: z.string(), itemType: z.string() })),
    progress: progressViewSchema,
  })
  .openapi("AppLearningPathAssignment");

const assignmentItemSchema = z
  .object({
    itemId: z.string(),
    itemType: z.string(),
    itemData: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "The published item, as the app sees it" }),
    progress: learningProgressSchema.optional(),
    outcome: z.enum(["SUCCESS", "FAIL"]).optional(),
  })
  .openapi("LearningPathAssignmentItem");

const searchSchema = z.strictObject({
  filter: jsonLogicField.optional(),
  sort: z.strictObject({ field: z.string().max(64), order: z.enum(["asc", "desc"]) }).optional(),
  limit: z.number().int().min(1).max(100).optional(),
  nextToken: z.string().nullable().optional(),
  fields: z.array(z.string()).optional(),
});

/**
 * `/app/learning-path-assignments`: the user's assignments (assigning LAZY rules first), with
 * the path and progress; `search` filters them with JsonLogic; items, current attempt, retry.
 * A user has few assignments, so lists are one page (`nextToken: null`).
 */
export function assignmentAppRoutes() {
  const routes = documentedRouter();
  const tag = "LearningPathAssignments";
  const app = (op: Omit<Parameters<typeof documentOperation>[1], "tag" | "actingUser">) =>
    documentOperation(routes, { ...op, tag, actingUser: true });
  app({
    method: "get",
    path: "/",
    operationId: "app/learningPathAssignments/list",
    summary: "List the user's learning path assignments (LAZY rules assign theirs first), with path and progress",
    query: appListQuery,
    responses: { 200: { description: "The user's assignments (one page)", schema: pageSchema(appAssignmentSchema) } },
  });
  app({
    method: "post",
    path: "/search",
    operationId: "app/learningPathAssignments/search",
    summary: "Filter the user's assignments with a JsonLogic condition",
    body: searchSchema,
    responses: { 200: { description: "The matching assignments", schema: pageSchema(appAssignmentSchema) } },
  });
  app({
    method: "get",
    path: "/:learningPathAssignmentId",
    operationId: "app/learningPathAssignments/get",
    summary: "Get one of the user's assignments",
    query: appGetQuery,
    responses: { 200: { description: "The assignment", schema: appAssignmentSchema } },
  });
  app({
    method: "get",
    path: "/:learningPathAssignmentId/items",
    operationId: "app/learningPathAssignments/listItems",
    summary: "The path's items in order, each with its published content and the user's progress",
    query: langQuery,
    responses: { 200: { description: "The items (one page)", schema: pageSchema(assignmentItemSchema) } },
  });
  app({
    method: "get",
    path: "/:learningPathAssignmentId/current-attempt",
    operationId: "app/learningPathAssignments/getCurrentAttempt",
    summary: "The attempt the user's progress counts towards",
    responses: {
      200: { description: "The current attempt", schema: z.object({ currentAttempt: z.number().int().positive() }) },
    },
  });
  app({
    method: "post",
    path: "/:learningPathAssignmentId/retry",
    operationId: "app/learningPathAssignments/retry",
    summary: "Start a new attempt of a completed path",
    responses: { 200: { description: "The assignment, on its next attempt", schema: appAssignmentSchema } },
    writes: true,
  });

  const userViews = async (workspaceId: string, userId: string, lang?: string) => {
    const now = new Date();
    const assignments = await assignFromRules(workspaceId, userId, now);
    const views = await Promise.all(assignments.map((a) => appAssignmentView(a, lang, now)));
    return views.filter((v) => v !== null);
  };

  routes.get("/", async (c) => {
    const userId = await actingUserId(c);
    const query = readQuery(c, appListQuery);
    const views = (await userViews(c.get("identity").workspaceId, userId, query.lang)).filter(
      (v) =>
        (!query.visibility || v.visibility === query.visibility) &&
        (!query.state || v.state === query.state) &&
        (!query.progressStatus || v.progress.status === query.progressStatus),
    );
    views.sort((a, b) => (query.order === "desc" ? -1 : 1) * a.updatedAt.localeCompare(b.updatedAt));
    return c.json({ items: views.slice(0, query.limit), nextToken: null });
  });

  routes.post("/search", async (c) => {
    const userId = await actingUserId(c);
    const input = await readJson(c, searchSchema);
    const views = (await userViews(c.get("identity").workspaceId, userId)).filter(
      (v) => input.filter === undefined || evaluateCondition(input.filter, v),
    );
    if (input.sort) {
      const { field, order } = input.sort;
      const key = (v: Record<string, unknown>) => String(v[field] ?? "");
      views.sort((a, b) => (order === "desc" ? -1 : 1) * key(a).localeCompare(key(b)));
    }
    return c.json({ items: views.slice(0, input.limit ?? 20), nextToken: null });
  });

  routes.get("/:learningPathAssignmentId", async (c) => {
    const identity = c.get("identity");
    const a = await requireOwnAssignment(
      identity.workspaceId,
      await actingUserId(c),
      c.req.param("learningPathAssignmentId"),
    );
    const { lang } = readQuery(c, appGetQuery);
    const view = await appAssignmentView(a, lang, new Date());
    if (!view) throw new QuestlineError("resource.not_found", `assignment ${a.learningPathAssignmentId} not found`);
    return c.json(view);
  });

  routes.get("/:learningPathAssignmentId/items", async (c) => {
    const identity = c.get("identity");
    const a = await requireOwnAssignment(
      identity.workspaceId,
      await actingUserId(c),
      c.req.param("learningPathAssignmentId"),
    );
    const path = await requireCatalogRecord<PathData>(recordRef(identity, "learningPath", a.learningPathId));
    const record = await getProgress(
      identity.workspaceId,
      a.userId,
      "learningPath",
      a.learningPathId,
      a.currentAttempt,
    );
    const progress = progressView(record, path.data.items);
    const items = await Promise.all(
      path.data.items.map(async (ref, i) => {
        const itemData = ["learningGroup", "quiz", "slide", "activity"].includes(ref.itemType)
          ? await publishedItemView(identity, ref.itemType as "quiz", ref.itemId, c.req.query("lang"))
          : null;
        const p = progress.items[i];
        return {
          itemId: ref.itemId,
          itemType: ref.itemType,
          ...(itemData ? { itemData } : {}),
          ...(p?.progress ? { progress: p.progress } : {}),
          ...(p?.outcome ? { outcome: p.outcome } : {}),
        };
      }),
    );
    return c.json({ items, nextToken: null });
  });

  routes.get("/:learningPathAssignmentId/current-attempt", async (c) => {
    const a = await requireOwnAssignment(
      c.get("identity").workspaceId,
      await actingUserId(c),
      c.req.param("learningPathAssignmentId"),
    );
    return c.json({ currentAttempt: a.currentAttempt });
  });

  routes.post("/:learningPathAssignmentId/retry", async (c) => {
    const identity = c.get("identity");
    const a = await requireOwnAssignment(
      identity.workspaceId,
      await actingUserId(c),
      c.req.param("learningPathAssignmentId"),
    );
    const record = await getProgress(
      identity.workspaceId,
      a.userId,
      "learningPath",
      a.learningPathId,
      a.currentAttempt,
    );
    if (record?.progress !== "COMPLETE") {
      throw new QuestlineError("resource.invalid_state", "Only a completed attempt can be retried");
    }
    const next: Assignment = {
      ...a,
      currentAttempt: a.currentAttempt + 1,
      updatedAt: new Date().toISOString(),
      rev: a.rev + 1,
    };
    await saveAssignment(next, a.rev);
    const view = await appAssignmentView(next, undefined, new Date());
    return c.json(view);
  });

  return routes;
}
