import { langSchema, QuestlineError } from "@questline/contracts";
import { Hono } from "hono";
import { z } from "zod";
import type { CoreEnv } from "../http/env";
import { requireWriter } from "../http/guards";
import { readJson } from "../http/validation";
import { recordRef } from "../records/kinds";
import { idSchema, invalid } from "../records/schemas";
import { getRecord } from "../records/store";
import { isValidZone } from "../rules/timeframe";
import { getUserByExternalId } from "../tenancy";
import { actingUserId } from "./acting-user";
import { createUser, requireUserProfile, setUserTags } from "./store";

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

async function assertTagsExist(workspaceId: string, tags: readonly string[]) {
  for (const [i, tagId] of tags.entries()) {
    if (!(await getRecord(recordRef({ workspaceId }, "tag", tagId))))
      throw invalid(`tags.${i}`, "no such tag in this workspace");
  }
}

/** `/dashboard/users`: create, get, by external id, tags. */
export function userDashboardRoutes() {
  const routes = new Hono<CoreEnv>();
  routes.post("/", async (c) => {
    const identity = requireWriter(c);
    const input = await readJson(c, createUserSchema);
    if (input.timezone && !isValidZone(input.timezone)) throw invalid("timezone", "not an IANA time zone");
    await assertTagsExist(identity.workspaceId, input.tags ?? []);
    return c.json(await createUser(identity.workspaceId, input), 201);
  });
  routes.get("/by-external-id/:externalId", async (c) => {
    const ws = c.get("identity").workspaceId;
    const user = await getUserByExternalId(ws, c.req.param("externalId"));
    if (!user) throw new QuestlineError("resource.not_found", `No user with external id ${c.req.param("externalId")}`);
    return c.json(await requireUserProfile(ws, user.userId));
  });
  routes.get("/:userId", async (c) =>
    c.json(await requireUserProfile(c.get("identity").workspaceId, c.req.param("userId"))),
  );
  routes.get("/:userId/tags", async (c) => {
    const user = await requireUserProfile(c.get("identity").workspaceId, c.req.param("userId"));
    return c.json({ items: user.tags.map((tagId) => ({ tagId })) });
  });
  routes.put("/:userId/tags", async (c) => {
    const identity = requireWriter(c);
    const { tags } = await readJson(c, tagsSchema);
    await assertTagsExist(identity.workspaceId, tags);
    return c.json(await setUserTags(identity.workspaceId, c.req.param("userId"), [...new Set(tags)]));
  });
  routes.post("/:userId/tags/:tagId", async (c) => {
    const identity = requireWriter(c);
    const tagId = c.req.param("tagId");
    await assertTagsExist(identity.workspaceId, [tagId]);
    const user = await requireUserProfile(identity.workspaceId, c.req.param("userId"));
    return c.json(await setUserTags(identity.workspaceId, user.userId, [...new Set([...user.tags, tagId])]));
  });
  routes.delete("/:userId/tags/:tagId", async (c) => {
    const identity = requireWriter(c);
    const user = await requireUserProfile(identity.workspaceId, c.req.param("userId"));
    return c.json(
      await setUserTags(
        identity.workspaceId,
        user.userId,
        user.tags.filter((t) => t !== c.req.param("tagId")),
      ),
    );
  });
  return routes;
}

/** `/app/users/me`. */
export function userAppRoutes() {
  const routes = new Hono<CoreEnv>();
  routes.get("/me", async (c) =>
    c.json(await requireUserProfile(c.get("identity").workspaceId, await actingUserId(c))),
  );
  return routes;
}
