import { newId } from "@questline/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { BODY_REFERENCE_CASES, type BodyReferenceCase } from "./body-references.cases";
import { type Answer, type Caller, errorCode, outcome } from "./support/client";
import { fingerprints, seedWorkspace, type Workspace } from "./support/seed";

/**
 * Workspace B writing with A's ids in the body: answered exactly like a random id (status,
 * code, and the field the error names), nothing written, A unchanged.
 */
let a: Workspace;
let b: Workspace;
let c: Workspace;
let d: Workspace;

beforeAll(async () => {
  [a, b, c, d] = await Promise.all([
    seedWorkspace("alpha"),
    seedWorkspace("beta"),
    seedWorkspace("gamma"),
    seedWorkspace("delta"),
  ]);
});

function side(ref: BodyReferenceCase): Workspace {
  return ref.inC ? c : ref.inD ? d : b;
}

function who(c: BodyReferenceCase): Caller {
  const ws = side(c);
  return c.as === "admin" ? ws.admin : c.as === "user" ? ws.user : ws.asUser(a.ids.userId);
}

function send(c: BodyReferenceCase, ref: string): Promise<Answer> {
  const [method, pattern] = c.route.split(" ") as [string, string];
  const ws = side(c);
  const path = `${c.path?.(ws.ids) ?? pattern}${c.query ? `?${c.query(ref)}` : ""}`;
  return who(c).call(method, path, c.body?.(ws.ids, ref, ws.marker));
}

function detailPaths(answer: Answer): string[] {
  const details = (answer.body as { error?: { details?: { path: string }[] } } | null)?.error?.details ?? [];
  return details.map((d) => d.path);
}

async function readAsA(path: string): Promise<string> {
  const answer = await a.admin.call("GET", path);
  expect(answer.status, `A GET ${path}: ${answer.text}`).toBe(200);
  return answer.text;
}

describe("tenant isolation: B's bodies referencing A's ids", () => {
  it.each(BODY_REFERENCE_CASES.map((c) => [`${c.route}: ${c.name}`, c] as const))("%s", async (_, c) => {
    const aBefore = c.aView ? await readAsA(c.aView(a.ids)) : undefined;
    const list = c.list?.(side(c).ids);
    const listBefore = list ? (await who(c).call("GET", list)).text : undefined;

    const random = await send(c, (c.random ?? newId)());
    expect(outcome(random), random.text).toBe(c.code ? `${c.expect} ${c.code}` : `${c.expect} -`);
    const foreignId = c.foreign(a.ids);
    const foreign = await send(c, foreignId);
    expect(outcome(foreign), foreign.text).toBe(outcome(random));
    expect(detailPaths(foreign)).toEqual(detailPaths(random));
    const leaked = fingerprints(a, [foreignId, ...(c.as === "twin" ? [a.ids.userId] : [])]).filter((f) =>
      foreign.text.includes(f),
    );
    expect(leaked, foreign.text).toEqual([]);
    expect(foreign.headers.get("x-activity-log-replayed")).toBeNull();

    if (list && listBefore !== undefined) expect((await who(c).call("GET", list)).text).toBe(listBefore);
    if (c.aView && aBefore !== undefined) expect(await readAsA(c.aView(a.ids))).toBe(aBefore);
    if (c.own) {
      const own = await send(c, c.own(side(c).ids));
      expect(own.status, own.text).toBe(c.ownStatus);
      expect(errorCode(own)).toBeUndefined();
    }
  });
});
