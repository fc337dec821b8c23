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

describe("tenant isolation: unchecked references still resolve only inside B", () => {
  it("a B group listing A's quiz and slide shows B's app users no item data", async () => {
    const created = await b.admin.ok<{ learningGroupId: string }>(
      "POST",
      "/dashboard/learning-groups",
      {
        type: "test",
        defaultLang: "en",
        translations: [{ lang: "en", title: "mixed" }],
        items: [
          { itemId: a.ids.quiz, itemType: "quiz" },
          { itemId: a.ids.slide, itemType: "slide" },
          { itemId: b.ids.quiz, itemType: "quiz" },
        ],
        publish: true,
      },
      201,
    );
    const items = await b.user.ok<{ items: { itemId: string; itemData?: unknown }[] }>(
      "GET",
      `/app/learning-groups/${created.learningGroupId}/items`,
    );
    expect(items.items.map((i) => [i.itemId, i.itemData !== undefined])).toEqual([
      [a.ids.quiz, false],
      [a.ids.slide, false],
      [b.ids.quiz, true],
    ]);
    const text = JSON.stringify(items);
    expect(text).not.toContain(a.marker);
    expect(text).not.toContain(a.ids.workspaceId);
  });

  it("a B path listing A's group, assigned to B's user, shows no item data and its rule cannot go live", async () => {
    const path = await b.admin.ok<{ learningPathId: string }>(
      "POST",
      "/dashboard/learning-paths",
      {
        title: "mixed",
        estimatedDuration: 1,
        defaultLang: "en",
        translations: [{ lang: "en", title: "mixed" }],
        items: [{ itemId: a.ids.learningGroup, itemType: "learningGroup" }],
        publish: true,
      },
      201,
    );
    const assignment = await b.admin.ok<{ learningPathAssignmentId: string }>(
      "POST",
      "/dashboard/learning-path-assignments",
      {
        learningPathId: path.learningPathId,
        userId: b.ids.userId,
        startsAt: "2020-01-01T00:00:00Z",
        visibility: "UNLOCKED",
        timeframeType: "PERMANENT",
      },
      201,
    );
    const items = await b.user.ok<{ items: { itemId: string; itemData?: unknown }[] }>(
      "GET",
      `/app/learning-path-assignments/${assignment.learningPathAssignmentId}/items`,
    );
    expect(items.items).toEqual([{ itemId: a.ids.learningGroup, itemType: "learningGroup" }]);

    const publishRule = async (pool: string) => {
      const rule = await b.admin.ok<{ learningPathRuleId: string }>(
        "POST",
        "/dashboard/learning-path-rules",
        {
          ruleType: "ASSIGN",
          name: "foreign",
          learningPathsPool: [pool],
          timeframeType: "PERMANENT",
          timeframeStartsAt: "2020-01-01T00:00:00Z",
          defaultLang: "en",
          translations: [{ lang: "en", label: "foreign" }],
        },
        201,
      );
      return b.admin.call("POST", `/dashboard/learning-path-rules/${rule.learningPathRuleId}/publish`);
    };
    const random = await publishRule(newId());
    expect(outcome(random)).toBe("400 request.validation_failed");
    expect(outcome(await publishRule(a.ids.learningPath))).toBe(outcome(random));
  });
});
