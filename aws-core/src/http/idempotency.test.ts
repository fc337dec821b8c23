import { errorBodySchema, IDEMPOTENCY_KEY_HEADER } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { identityHeaders } from "../../test/support/identity";
import { createApp } from "../app/create-app";
import { IDEMPOTENT_REPLAY_HEADER } from "./idempotency";

function appWithCounter() {
  const app = createApp();
  let calls = 0;
  let release: () => void = () => {};
  app.post("/dashboard/counter", async (c) => {
    calls += 1;
    const body = await c.req.json();
    return c.json({ calls, echo: body }, 201);
  });
  app.post("/dashboard/slow", async (c) => {
    calls += 1;
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    return c.json({ calls });
  });
  app.post("/dashboard/fails", () => {
    calls += 1;
    throw new Error("transient");
  });
  return { app, calls: () => calls, release: () => release() };
}

const send = (app: ReturnType<typeof createApp>, path: string, headers: Record<string, string>, body: unknown) =>
  app.request(path, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("idempotency middleware", () => {
  it("replays the original status and body for the same key and payload", async () => {
    const { app, calls } = appWithCounter();
    const headers = { ...identityHeaders(), [IDEMPOTENCY_KEY_HEADER]: "key-1" };
    const first = await send(app, "/dashboard/counter", headers, { a: 1 });
    expect(first.status).toBe(201);
    expect(first.headers.get(IDEMPOTENT_REPLAY_HEADER)).toBeNull();
    const second = await send(app, "/dashboard/counter", headers, { a: 1 });
    expect(second.status).toBe(201);
    expect(second.headers.get(IDEMPOTENT_REPLAY_HEADER)).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    expect(calls()).toBe(1);
  });

  it("answers 409 request.idempotency_conflict for the same key with another payload", async () => {
    const { app, calls } = appWithCounter();
    const headers = { ...identityHeaders(), [IDEMPOTENCY_KEY_HEADER]: "key-2" };
    await send(app, "/dashboard/counter", headers, { a: 1 });
    const res = await send(app, "/dashboard/counter", headers, { a: 2 });
    expect(res.status).toBe(409);
    expect(errorBodySchema.parse(await res.json()).error.code).toBe("request.idempotency_conflict");
    expect(calls()).toBe(1);
  });

  it("scopes keys by workspace: another workspace's identical key runs again", async () => {
    const { app, calls } = appWithCounter();
    await send(app, "/dashboard/counter", { ...identityHeaders(), [IDEMPOTENCY_KEY_HEADER]: "shared" }, { a: 1 });
    const other = await send(
      app,
      "/dashboard/counter",
      { ...identityHeaders(), [IDEMPOTENCY_KEY_HEADER]: "shared" },
      { a: 1 },
    );
    expect(other.headers.get(IDEMPOTENT_REPLAY_HEADER)).toBeNull();
    expect(calls()).toBe(2);
  });

  it("answers 409 request.idempotency_in_progress to a concurrent duplicate", async () => {
    const { app, calls, release } = appWithCounter();
    const headers = { ...identityHeaders(), [IDEMPOTENCY_KEY_HEADER]: "key-3" };
    const first = send(app, "/dashboard/slow", headers, { a: 1 });
    await expect.poll(() => calls()).toBe(1);
    const duplicate = await send(app, "/dashboard/slow", headers, { a: 1 });
    expect(duplicate.status).toBe(409);
    expect(errorBodySchema.parse(await duplicate.json()).error.code).toBe("request.idempotency_in_progress");
    release();
    expect((await first).status).toBe(200);
    const replay = await send(app, "/dashboard/slow", headers, { a: 1 });
    expect(replay.headers.get(IDEMPOTENT_REPLAY_HEADER)).toBe("true");
    expect(calls()).toBe(1);
  });

  it("does not store a 5xx: the retry runs again", async () => {
    const { app, calls } = appWithCounter();
    const headers = { ...identityHeaders(), [IDEMPOTENCY_KEY_HEADER]: "key-4" };
    expect((await send(app, "/dashboard/fails", headers, {})).status).toBe(500);
    expect((await send(app, "/dashboard/fails", headers, {})).status).toBe(500);
    expect(calls()).toBe(2);
  });

  it("without a key, writes are not deduplicated", async () => {
    const { app, calls } = appWithCounter();
    const headers = identityHeaders();
    await send(app, "/dashboard/counter", headers, { a: 1 });
    await send(app, "/dashboard/counter", headers, { a: 1 });
    expect(calls()).toBe(2);
  });
});
