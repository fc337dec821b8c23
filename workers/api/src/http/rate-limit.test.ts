import { describe, expect, it } from "vitest";
import { appToken, call } from "../../test/support/helpers";

describe("rate limits", () => {
  it("answers 429 with Retry-After once a user's budget is spent", async () => {
    const token = await appToken({ userId: "hammering-user" });
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await call("/app/whoami", { token })).status);
    expect(statuses.slice(0, 40).every((s) => s === 200)).toBe(true);
    const limited = await call("/app/whoami", { token });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    // Another user of the same workspace is not affected.
    expect((await call("/app/whoami", { token: await appToken() })).status).toBe(200);
  });
});
