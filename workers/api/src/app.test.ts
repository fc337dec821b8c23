import { describe, expect, it } from "vitest";
import { appToken, call, freshWorkspace, seed } from "../test/support/helpers";

describe("smoke", () => {
  it("answers whoami and a search", async () => {
    const workspaceId = freshWorkspace();
    await seed([{ workspaceId, itemId: "g1", texts: [{ lang: "en", title: "Climate basics", body: "carbon" }] }]);
    const token = await appToken({ workspaceId });
    const who = await call("/app/whoami", { token });
    expect(who.status).toBe(200);
    const res = await call("/app/catalog/search?q=clim", { token });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ items: [{ itemId: "g1" }] });
  });
});
