import { describe, expect, it } from "vitest";
import { appToken, call, control, dashboardToken } from "./support/helpers";

/** #14 item 5: a browser must never sniff an api answer into something it would run. */
describe("every api answer says X-Content-Type-Options: nosniff", () => {
  it("edge-owned JSON, errors, 404s and answers forwarded from the core", async () => {
    const before = (await control("/state")).coreCalls;
    const answers = {
      health: await call("/health"),
      whoami: await call("/app/whoami", { token: await appToken() }),
      unauthenticated: await call("/app/whoami"),
      unknownPath: await call("/nowhere"),
      forwarded: await call("/dashboard/missions", { token: await dashboardToken() }),
    };
    expect(answers.health.status).toBe(200);
    expect(answers.whoami.status).toBe(200);
    expect(answers.unauthenticated.status).toBe(401);
    expect(answers.unknownPath.status).toBe(404);
    expect((await control("/state")).coreCalls, "the forwarded request reached the core").toBeGreaterThan(before);
    for (const [name, res] of Object.entries(answers)) {
      expect(res.headers.get("x-content-type-options"), name).toBe("nosniff");
      await res.body?.cancel();
    }
  });
});
