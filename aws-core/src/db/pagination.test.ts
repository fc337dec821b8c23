import { describe, expect, it } from "vitest";
import { activity, testWorkspace } from "../../test/support/callers";

async function expectInvalidToken(res: Response) {
  const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };
  expect({ status: res.status, code: body.error.code, path: body.error.details?.[0]?.path }).toEqual({
    status: 400,
    code: "request.validation_failed",
    path: "nextToken",
  });
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("pagination tokens are opaque and authenticated", () => {
  it("pages with the tokens it issues", async () => {
    const { admin } = testWorkspace();
    for (const name of ["a", "b", "c"]) await activity(admin, name);
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const query: string = token ? `&nextToken=${encodeURIComponent(token)}` : "";
      const page: { items: { name: string }[]; nextToken: string | null } = await admin.json(
        "GET",
        `/dashboard/activities?limit=2${query}`,
        undefined,
        200,
      );
      seen.push(...page.items.map((i) => i.name));
      token = page.nextToken;
    } while (token);
    expect(seen.sort()).toEqual(["a", "b", "c"]);
  });

  it("answers a forged, edited or foreign token with 400 naming nextToken", async () => {
    const { admin, workspaceId } = testWorkspace();
    for (const name of ["a", "b"]) await activity(admin, name);
    const page = await admin.json<{ nextToken: string }>("GET", "/dashboard/activities?limit=1", undefined, 200);
    const [payload, mac] = page.nextToken.split(".") as [string, string];
    const list = (path: string, token: string) =>
      admin.request("GET", `${path}?limit=1&nextToken=${encodeURIComponent(token)}`);

    // A hand-made key (the old, unsigned format): a key of another index, an out-of-range sort key.
    await expectInvalidToken(await list("/dashboard/activities", b64({ pk: `WS#${workspaceId}`, sk: "ZZZ" })));
    await expectInvalidToken(
      await list(
        "/dashboard/activities",
        `${b64({ gsi1pk: "x", gsi1sk: "y", pk: `WS#${workspaceId}`, sk: "ACT#" })}.${mac}`,
      ),
    );
    // An edited signature, and extra parts.
    await expectInvalidToken(await list("/dashboard/activities", `${payload}.${mac.slice(0, -2)}AA`));
    await expectInvalidToken(await list("/dashboard/activities", `${page.nextToken}.x`));
    // A real token of another query (tags share the workspace partition) or another workspace.
    await expectInvalidToken(await list("/dashboard/tags", page.nextToken));
    await expectInvalidToken(
      await testWorkspace().admin.request("GET", `/dashboard/activities?nextToken=${page.nextToken}`),
    );
  });

  it("answers a user's activity-log token replayed on another per-user list with 400", async () => {
    const { admin, asUser } = testWorkspace();
    const activityId = await activity(admin);
    const me = asUser("pager-1");
    for (let i = 0; i < 2; i++) await me.json("POST", "/app/activity-logs", { activityId }, 200);
    const page = await me.json<{ nextToken: string }>("GET", "/app/activity-logs?limit=1", undefined, 200);
    expect(page.nextToken).toBeTruthy();
    await expectInvalidToken(await me.request("GET", `/app/virtual-transactions?limit=1&nextToken=${page.nextToken}`));
    await expectInvalidToken(await asUser("pager-2").request("GET", `/app/activity-logs?nextToken=${page.nextToken}`));
  });
});
