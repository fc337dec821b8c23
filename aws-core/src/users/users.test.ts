import { describe, expect, it } from "vitest";
import { type Caller, testWorkspace, user } from "../../test/support/callers";

async function tag(admin: Caller, variant: string): Promise<string> {
  const created = await admin.json<{ tagId: string }>(
    "POST",
    "/dashboard/tags",
    { namespace: "team", variant, defaultLang: "en", translations: [{ lang: "en", label: `Team ${variant}` }] },
    201,
  );
  return created.tagId;
}

describe("a user's tags (dashboard)", () => {
  it("lists the assignments with the reference's fields; removing one answers 204 and is idempotent", async () => {
    const { admin, workspaceId } = testWorkspace();
    const [a, b] = [await tag(admin, "a"), await tag(admin, "b")];
    const userId = await user(admin);
    await admin.json("PUT", `/dashboard/users/${userId}/tags`, { tags: [a, b] }, 200);

    const list = await admin.json<{ items: Record<string, unknown>[]; nextToken: null }>(
      "GET",
      `/dashboard/users/${userId}/tags`,
      undefined,
      200,
    );
    expect(list.nextToken).toBeNull();
    expect(list.items.map((i) => i.tagId)).toEqual([a, b]);
    expect(list.items[0]).toEqual({
      tagId: a,
      entityType: "User",
      entityId: userId,
      userId,
      priority: 0,
      accountId: expect.any(String),
      workspaceId,
      sourceRegion: expect.any(String),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });

    const removed = await admin.request("DELETE", `/dashboard/users/${userId}/tags/${a}`);
    expect(removed.status).toBe(204);
    expect(await removed.text()).toBe("");
    const again = await admin.request("DELETE", `/dashboard/users/${userId}/tags/${a}`);
    expect(again.status).toBe(204);
    const after = await admin.json<{ items: { tagId: string }[] }>("GET", `/dashboard/users/${userId}/tags`);
    expect(after.items.map((i) => i.tagId)).toEqual([b]);
    expect(await admin.json<{ tags: string[] }>("GET", `/dashboard/users/${userId}`)).toMatchObject({
      tags: [b],
      principalId: userId,
    });
  });

  it("removing a tag from a user that does not exist is 404", async () => {
    const { admin } = testWorkspace();
    const a = await tag(admin, "a");
    const res = await admin.request("DELETE", `/dashboard/users/nobody/tags/${a}`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("resource.not_found");
  });
});
