import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app";
import { type ApiBindings, REQUIRED_BINDINGS } from "../src/env";
import { appToken } from "./support/helpers";

/** The worker's own app, called with an environment the test chooses (a deployment missing a secret). */
async function callWith(bindings: Record<string, unknown>, path: string, token: string): Promise<Response> {
  const request = new Request(`https://api.test${path}`, { headers: { authorization: `Bearer ${token}` } });
  return createApp().fetch(request, { ...env, ...bindings }, createExecutionContext());
}

// The test's bindings carry the secrets (vitest.config.ts), which `wrangler types` cannot see.
const secrets = env as unknown as ApiBindings;

describe("required configuration", () => {
  it("answers 500 internal.misconfigured naming each missing SigV4 key binding, never a value", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const token = await appToken();
    for (const name of REQUIRED_BINDINGS) {
      for (const path of ["/app/whoami", "/app/users/me/missions"]) {
        const res = await callWith({ [name]: undefined }, path, token);
        expect(res.status, `${name} ${path}`).toBe(500);
        const { error } = (await res.json()) as { error: { code: string; message: string } };
        expect(error.code).toBe("internal.misconfigured");
        expect(error.message).toContain(name);
        expect(error.message).not.toContain(secrets.AWS_ACCESS_KEY_ID);
        expect(error.message).not.toContain(secrets.AWS_SECRET_ACCESS_KEY);
      }
    }
    const empty = await callWith({ AWS_SECRET_ACCESS_KEY: "" }, "/app/whoami", token);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toContain("AWS_SECRET_ACCESS_KEY");
    expect(logged.mock.calls.some(([line]) => String(line).includes('"code":"internal.misconfigured"'))).toBe(true);
    logged.mockRestore();
  });

  it("serves normally with every binding present", async () => {
    const res = await callWith({}, "/app/whoami", await appToken({ workspaceId: "wsCONFIGOK" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ workspaceId: "wsCONFIGOK" });
  });
});
