import { newWorkspaceId } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { viaGateway } from "../../test/support/gateway";

const code = (body: unknown) => (body as { error?: { code?: string } } | null)?.error?.code;

describe("the core trusts identity headers only when the signature covers them", () => {
  it("a signed identity is accepted", async () => {
    const identity = { workspaceId: newWorkspaceId(), context: "dashboard" as const, role: "viewer" as const };
    const res = await viaGateway({ as: "api", method: "GET", path: "/dashboard/media", identity });
    expect(res.status, res.text).toBe(200);
  });

  it("an identity header added after signing passes the gateway and is refused by the core (403)", async () => {
    const workspaceId = newWorkspaceId();
    // Signed as a viewer; a role header slipped in after signing would make it an owner.
    const escalated = await viaGateway({
      as: "api",
      method: "GET",
      path: "/dashboard/media",
      identity: { workspaceId, context: "dashboard" },
      unsigned: { "x-ql-role": "owner" },
    });
    expect(escalated.status).toBe(403);
    expect(code(escalated.body)).toBe("auth.forbidden");
    // A user id slipped in after signing (acting as another user).
    const swapped = await viaGateway({
      as: "api",
      method: "GET",
      path: "/app/whoami",
      identity: { workspaceId, context: "app" },
      unsigned: { "x-ql-user-id": "someone-else" },
    });
    expect(swapped.status).toBe(403);
    expect(code(swapped.body)).toBe("auth.forbidden");
  });
});
