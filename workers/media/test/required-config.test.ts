import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { REQUIRED_BINDINGS } from "../src/env";
import { app } from "../src/index";
import { putPrivatePdf, token } from "./support/helpers";

/** The worker's own app, called with an environment the test chooses (a deployment missing a secret). */
async function callWith(bindings: Record<string, unknown>, path: string, init: RequestInit): Promise<Response> {
  return app.fetch(new Request(`https://media.test${path}`, init), { ...env, ...bindings }, createExecutionContext());
}

async function signUrl(bindings: Record<string, unknown>, key: string): Promise<Response> {
  return callWith(bindings, "/media/signed-urls", {
    method: "POST",
    headers: { authorization: `Bearer ${await token({ context: "app" })}`, "content-type": "application/json" },
    body: JSON.stringify({ key }),
  });
}

describe("required configuration", () => {
  it("answers 500 internal.misconfigured naming each missing secret, never a value", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const key = await putPrivatePdf();
    for (const name of REQUIRED_BINDINGS) {
      const res = await signUrl({ [name]: undefined }, key);
      expect(res.status, name).toBe(500);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code, name).toBe("internal.misconfigured");
      expect(error.message, name).toContain(name);
      for (const secret of [env.MEDIA_SIGNING_SECRET, env.AWS_SECRET_ACCESS_KEY]) {
        expect(error.message).not.toContain(secret);
      }
    }
    // The local stack's failure of issue #14: an empty signing secret, not an HMAC error.
    const empty = await signUrl({ MEDIA_SIGNING_SECRET: "" }, key);
    expect(empty.status).toBe(500);
    expect(await empty.json()).toMatchObject({
      error: { code: "internal.misconfigured", message: expect.stringContaining("MEDIA_SIGNING_SECRET") },
    });
    expect(logged.mock.calls.some(([line]) => String(line).includes('"code":"internal.misconfigured"'))).toBe(true);
    logged.mockRestore();
  });

  it("serves normally with every binding present: the signed URL it mints delivers the file", async () => {
    const key = await putPrivatePdf();
    const res = await signUrl({}, key);
    expect(res.status).toBe(200);
    const { url } = (await res.json()) as { url: string };
    const file = await callWith({}, new URL(url).pathname + new URL(url).search, {});
    expect(file.status).toBe(200);
    expect(await file.text()).toBe("%PDF-1.7 secret");
  });
});
