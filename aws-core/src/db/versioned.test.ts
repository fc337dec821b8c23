import { newWorkspaceId, QuestlineError } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { entityRef } from "./keys";
import { deleteVersioned, getVersioned, putNewVersioned, updateVersioned, type VersionedContent } from "./versioned";

const content = (title: string): VersionedContent<{ title: string }> => ({
  data: { title },
  catalog: { state: "DRAFT", defaultLang: "en", texts: [{ lang: "en", title }] },
});

describe("versioned persistence", () => {
  it("creates at version 1 with the envelope and catalog document", async () => {
    const ref = entityRef({ workspaceId: newWorkspaceId() }, "quiz", "q1");
    const item = await putNewVersioned(ref, content("Q"));
    expect(item).toMatchObject({
      pk: `WS#${ref.workspaceId}`,
      sk: "QUIZ#q1",
      entityType: "quiz",
      entityId: "q1",
      version: 1,
      data: { title: "Q" },
    });
    expect(item.catalog).toMatchObject({ origin: "CUSTOM", tags: [], createdAt: item.createdAt });
    expect(await getVersioned(ref)).toEqual(item);
  });

  it("lets exactly one of several concurrent updates of the same version win", async () => {
    const ref = entityRef({ workspaceId: newWorkspaceId() }, "activity", "a1");
    await putNewVersioned(ref, content("A"));
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => updateVersioned(ref, 1, () => content(`A${i}`))),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === "rejected") {
        expect(r.reason).toBeInstanceOf(QuestlineError);
        expect((r.reason as QuestlineError).code).toBe("resource.conflict");
      }
    }
    expect((await getVersioned(ref))?.version).toBe(2);
  });

  it("rejects an invalid catalog document before writing", async () => {
    const ref = entityRef({ workspaceId: newWorkspaceId() }, "slide", "s1");
    await expect(
      putNewVersioned(ref, { data: {}, catalog: { state: "DRAFT", defaultLang: "en", texts: [] } }),
    ).rejects.toThrow();
    expect(await getVersioned(ref)).toBeNull();
  });

  it("deletes with an optional version check; missing → not_found", async () => {
    const ref = entityRef({ workspaceId: newWorkspaceId() }, "media", "m1");
    await putNewVersioned(ref, content("M"));
    await expect(deleteVersioned(ref, 7)).rejects.toMatchObject({ code: "resource.conflict" });
    expect((await deleteVersioned(ref, 1)).version).toBe(1);
    await expect(deleteVersioned(ref)).rejects.toMatchObject({ code: "resource.not_found" });
  });
});

describe("re-creating a deleted id", () => {
  it("continues above the delete's index version (old + 2) so the index does not treat it as stale", async () => {
    const ref = entityRef({ workspaceId: newWorkspaceId() }, "learningPath", "reused");
    await putNewVersioned(ref, content("one"));
    await updateVersioned(ref, 1, () => content("two"));
    await deleteVersioned(ref);
    const again = await putNewVersioned(ref, content("three"));
    expect(again.version).toBe(4);
    await expect(putNewVersioned(ref, content("dup"))).rejects.toMatchObject({ code: "resource.conflict" });
    await deleteVersioned(ref);
    expect((await putNewVersioned(ref, content("four"))).version).toBe(6);
  });
});
