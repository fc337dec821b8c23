import { z } from "@hono/zod-openapi";
import { type Identity, langSchema, QuestlineError } from "@questline/contracts";
import { requireWriter } from "../http/guards";
import { documentedRouter, documentOperation, referenceFieldsQuery } from "../http/openapi";
import { readJson, readQuery } from "../http/validation";
import { recordRef } from "../records/kinds";
import { ownerFields, ownerShape } from "../records/owner";
import { idSchema, invalid } from "../records/schemas";
import { getRecord } from "../records/store";
import { isValidZone } from "../rules/timeframe";
import { getUserByExternalId } from "../tenancy";
import { actingUserId } from "./acting-user";
import { createUser, requireUserProfile, setUserTags, type UserProfile } from "./store";

const createUserSchema = z
  .strictObject({
    externalId: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\x21-\x7e]+$/),
    email: z.email().max(320).optional(),
    nickname: z.string().min(2).max(40).optional(),
    firstName: z.string().min(2).max(50).optional(),
    lastName: z.string().min(2).max(50).optional(),
    profileImage: z.string().max(2_048).optional(),
    lang: langSchema.optional(),
    timezone: z.string().max(64).optional(),
    tags: z.array(idSchema).max(50).optional(),
  })
  .partial({ externalId: true });

const tagsSchema = z.strictObject({ tags: z.array(idSchema).max(50) });

/** A user as the API shows it: the tenancy record with its profile fields and tag ids. */
const userSchema = z
  .object({
    userId: z.string().openapi({ example: "Vq2cQ0n8m3xT7rLk9pB1s" }),
    principalId: z.string().openapi({
      description:
        "The principal that acts as this user: the user's own id (a login carries it as `custom:user_id`; one login is one user of one workspace)",
      example: "Vq2cQ0n8m3xT7rLk9pB1s",
    }),
    accountId: ownerShape.accountId,
    workspaceId: ownerShape.workspaceId,
    externalId: z
      .string()
      .optional()
      .openapi({ description: "The customer's own id of the user", example: "crm-4711" }),
    email: z.string().optional(),
    nickname: z.string().optional(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    profileImage: z.string().optional(),
    lang: z.string().openapi({ example: "en" }),
    timezone: z.string().openapi({ example: "Europe/Rome" }),
    tags: z.array(z.string()).openapi({ description: "Ids of the user's tags" }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime().optional(),
  })
  .openapi("User");
/**
 * A user's tag assignment as the reference lists it. The assignments are stored inside the
 * user (its `tags`), so the user's owner and timestamps are the assignment's.
 */
const userTagAssignmentSchema = z
  .object({
    tagId: z.string(),
    entityType: z.enum(["User"]),
    entityId: z.string().openapi({ description: "The user's id" }),
    userId: z.string(),
    priority: z.number().int().min(0).openapi({ description: "Always 0: a user's tags are unordered" }),
    ...ownerShape,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("UserTagAssignment");
const userTagsSchema = z.object({ items: z.array(userTagAssignmentSchema), nextToken: z.null() }).openapi("UserTags");

function tagAssignments(identity: Identity, user: UserProfile) {
  const owner = ownerFields({ accountId: identity.accountId, workspaceId: user.workspaceId });
  const updatedAt = user.updatedAt ?? user.createdAt;
  return user.tags.map((tagId) => ({
    tagId,
    entityType: "User" as const,
    entityId: user.userId,
    userId: user.userId,
    priority: 0,
    ...owner,
    createdAt: user.createdAt,
    updatedAt,
  }));
}

/** A user as the API answers: the profile with the workspace's account (the caller's verified one). */
function userView(identity: Identity, user: UserProfile) {
  return { ...(identity.accountId ? { accountId: identity.accountId } : {}), ...user, principalId: user.userId };
}

const userFieldsQuery = referenceFieldsQuery(
  ["tags", "principal", "stats", "learningGroupLogs"],
  ["tags"],
  ["principal", "stats", "learningGroupLogs"],
);
const byExternalIdFieldsQuery = referenceFieldsQuery(["tags"], ["tags"]);
const meFieldsQuery = referenceFieldsQuery(
  ["tags", "principal", "stats", "learningGroupLogs", "permissions", "notificationPreferences"],
  ["tags"],
  ["principal", "stats", "learningGroupLogs", "permissions", "notificationPreferences"],
);

const TAG = "Users";
const TAGS_TAG = "Users/Tags";

async function assertTagsExist(workspaceId: string, tags: readonly string[]) {
  for (const [i, tagId] of tags.entries()) {
    if (!(await getRecord(recordRef({ workspaceId }, "tag", tagId))))
      throw invalid(`tags.${i}`, "no such tag in this workspace");
  }
}

/** `/dashboard/users`: create, get, by external id, tags. */
export function userDashboardRoutes() {
  const routes = documentedRouter();
  const user = (description: string) => ({ description, schema: userSchema });
  documentOperation(routes, {
    method: "post",
    path: "/",
    operationId: "dashboard/users/create",
    tag: TAG,
    summary: "Create a user (an external id already in use is 409)",
    body: createUserSchema,
    responses: { 201: user("The user, created") },
    writes: true,
  });
  documentOperation(routes, {
    method: "get",
    path: "/by-external-id/:externalId",
    operationId: "dashboard/users/getByExternalId",
    tag: TAG,
    summary: "Get a user by the customer's external id",
    query: byExternalIdFieldsQuery,
    responses: { 200: user("The user") },
  });
  documentOperation(routes, {
    method: "get",
    path: "/:userId",
    operationId: "dashboard/users/get",
    tag: TAG,
    summary: "Get a user",
    query: userFieldsQuery,
    responses: { 200: user("The user") },
  });
  documentOperation(routes, {
    method: "get",
    path: "/:userId/tags",
    operationId: "dashboard/users/listTags",
    tag: TAGS_TAG,
    summary: "List a user's tag assignments (one page: a user has at most 50 tags)",
    responses: { 200: { description: "The user's tag assignments", schema: userTagsSchema } },
  });
  documentOperation(routes, {
    method: "put",
    path: "/:userId/tags",
    operationId: "dashboard/users/replaceTags",
    tag: TAGS_TAG,
    summary: "Replace a user's tags (each must exist in the workspace; duplicates are dropped)",
    body: tagsSchema,
    responses: { 200: user("The user with its new tags") },
    writes: true,
  });
  documentOperation(routes, {
    method: "post",
    path: "/:userId/tags/:tagId",
    operationId: "dashboard/users/createTag",
    tag: TAGS_TAG,
    summary: "Add a tag to a user (idempotent)",
    responses: { 200: user("The user with the tag") },
    writes: true,
  });
  documentOperation(routes, {
    method: "delete",
    path: "/:userId/tags/:tagId",
    operationId: "dashboard/users/deleteTag",
    tag: TAGS_TAG,
    summary: "Remove a tag from a user (idempotent: a tag the user does not have is also 204)",
    responses: { 204: { description: "The tag is no longer the user's", schema: null } },
    writes: true,
  });
  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, createUserSchema);
    if (input.timezone && !isValidZone(input.timezone)) throw invalid("timezone", "not an IANA time zone");
    await assertTagsExist(identity.workspaceId, input.tags ?? []);
    return c.json(userView(identity, await createUser(identity.workspaceId, input)), 201);
  });
  routes.get("/by-external-id/:externalId", async (c) => {
    readQuery(c, byExternalIdFieldsQuery);
    const ws = c.get("identity").workspaceId;
    const user = await getUserByExternalId(ws, c.req.param("externalId"));
    if (!user) throw new QuestlineError("resource.not_found", `No user with external id ${c.req.param("externalId")}`);
    return c.json(userView(c.get("identity"), await requireUserProfile(ws, user.userId)));
  });
  routes.get("/:userId", async (c) => {
    readQuery(c, userFieldsQuery);
    return c.json(
      userView(c.get("identity"), await requireUserProfile(c.get("identity").workspaceId, c.req.param("userId"))),
    );
  });
  routes.get("/:userId/tags", async (c) => {
    const user = await requireUserProfile(c.get("identity").workspaceId, c.req.param("userId"));
    return c.json({ items: tagAssignments(c.get("identity"), user), nextToken: null });
  });
  routes.put("/:userId/tags", async (c) => {
    const identity = requireWriter(c);
    const { tags } = await readJson(c, tagsSchema);
    await assertTagsExist(identity.workspaceId, tags);
    return c.json(
      userView(identity, await setUserTags(identity.workspaceId, c.req.param("userId"), [...new Set(tags)])),
    );
  });
  routes.post("/:userId/tags/:tagId", async (c) => {
    const identity = requireWriter(c);
    const tagId = c.req.param("tagId");
    await assertTagsExist(identity.workspaceId, [tagId]);
    const user = await requireUserProfile(identity.workspaceId, c.req.param("userId"));
    return c.json(
      userView(identity, await setUserTags(identity.workspaceId, user.userId, [...new Set([...user.tags, tagId])])),
    );
  });
  routes.delete("/:userId/tags/:tagId", async (c) => {
    const identity = requireWriter(c);
    const user = await requireUserProfile(identity.workspaceId, c.req.param("userId"));
    const tagId = c.req.param("tagId");
    if (user.tags.includes(tagId)) {
      await setUserTags(
        identity.workspaceId,
        user.userId,
        user.tags.filter((t) => t !== tagId),
      );
    }
    return c.body(null, 204);
  });
  return routes;
}

/** `/app/users/me`. */
export function userAppRoutes() {
  const routes = documentedRouter();
  documentOperation(routes, {
    method: "get",
    path: "/me",
    operationId: "app/users/getMe",
    tag: TAG,
    actingUser: true,
    summary: "Get the user the token acts for",
    query: meFieldsQuery,
    responses: { 200: { description: "The user", schema: userSchema } },
  });
  routes.get("/me", async (c) => {
    readQuery(c, meFieldsQuery);
    return c.json(
      userView(c.get("identity"), await requireUserProfile(c.get("identity").workspaceId, await actingUserId(c))),
    );
  });
  return routes;
}
