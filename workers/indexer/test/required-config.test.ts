import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { REQUIRED_BINDINGS } from "../src/env";
import app from "../src/index";
import { ORIGIN, signer, storedItem, upsert } from "./support/helpers";

/** The worker, called with an environment the test chooses (a deployment missing a secret). */
async function postBatchWith(bindings: Record<string, unknown>, body: unknown): Promise<Response> {
  const request = await signer().sign(`${ORIGIN}/batches`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return app.fetch(request, { ...env, ...bindings }, createExecutionContext());
}

describe("required configuration", () => {
  it("answers 500 internal.misconfigured naming each missing signing binding, and applies nothing", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    for (const name of REQUIRED_BINDINGS) {
      const res = await postBatchWith({ [name]: "" }, { operations: [upsert("q1", 1)] });
      expect(res.status, name).toBe(500);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code, name).toBe("internal.misconfigured");
      expect(error.message, name).toContain(name);
      expect(error.message).not.toContain(env.INDEXER_SECRET_ACCESS_KEY);
    }
    expect(await storedItem("q1")).toBeNull();
    expect(logged.mock.calls.some(([line]) => String(line).includes('"code":"internal.misconfigured"'))).toBe(true);
    logged.mockRestore();
  });

  it("applies batches normally with every binding present", async () => {
    expect((await postBatchWith({}, { operations: [upsert("q1", 1)] })).status).toBe(200);
    expect(await storedItem("q1")).toMatchObject({ version: 1 });
  });
});
