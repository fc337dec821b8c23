import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { newWorkspaceId, QuestlineError } from "@questline/contracts";
import { describe, expect, it } from "vitest";
import { documentDb, tableName } from "../db/client";
import { recordKey, recordRef } from "./kinds";
import { createRecord, deleteRecord, getRecord, type RecordContent, updateRecord } from "./store";

const content = (title: string): RecordContent<{ title: string }> => ({
  data: { title },
  catalog: { state: "DRAFT", defaultLang: "en", texts: [{ lang: "en", title }] },
});

describe("versioned persistence", () => {
  it("creates at version 1 with the envelope and catalog document", async () => {
    const ref = recordRef({ workspaceId: newWorkspaceId() }, "quiz", "q1");
    const record = await createRecord(ref, content("Q"));
    const stored = await documentDb().send(new GetCommand({ TableName: tableName(), Key: recordKey(ref) }));
    const item = stored.Item!;
    expect(item).toMatchObject({
      pk: `WS#${ref.workspaceId}`,
      sk: "QUIZ#q1",
      entityType: "quiz",
      entityId: "q1",
      version: 1,
      data: { title: "Q" },
    });
    expect(item.catalog).toMatchObject({ origin: "CUSTOM", tags: [], createdAt: item.createdAt });
    expect(record).toMatchObject({ kind: "quiz", id: "q1", version: 1, data: { title: "Q" }, catalog: item.catalog });
    expect(await getRecord(ref)).toEqual(record);
  });

  it("lets exactly one of several concurrent updates of the same version win", async () => {
    const ref = recordRef({ workspaceId: newWorkspaceId() }, "activity", "a1");
    await createRecord(ref, content("A"));
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => updateRecord(ref, () => content(`A${i}`), { expectedVersion: 1 })),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === "rejected") {
        expect(r.reason).toBeInstanceOf(QuestlineError);
        expect((r.reason as QuestlineError).code).toBe("resource.conflict");
      }
    }
    expect((await getRecord(ref))?.version).toBe(2);
  });

  it("rejects an invalid catalog document before writing", async () => {
    const ref = recordRef({ workspaceId: newWorkspaceId() }, "slide", "s1");
    await expect(
      createRecord(ref, { data: {}, catalog: { state: "DRAFT", defaultLang: "en", texts: [] } }),
    ).rejects.toThrow();
    expect(await getRecord(ref)).toBeNull();
  });

  it("deletes with an optional version check; missing → not_found", async () => {
    const ref = recordRef({ workspaceId: newWorkspaceId() }, "media", "m1");
    await createRecord(ref, content("M"));
    await expect(deleteRecord(ref, { expectedVersion: 7 })).rejects.toMatchObject({ code: "resource.conflict" });
    expect((await deleteRecord(ref, { expectedVersion: 1 })).version).toBe(1);
    await expect(deleteRecord(ref)).rejects.toMatchObject({ code: "resource.not_found" });
  });
});

describe("re-creating a deleted id", () => {
  it("continues above the delete's index version (old + 2) so the index does not treat it as stale", async () => {
    const ref = recordRef({ workspaceId: newWorkspaceId() }, "learningPath", "reused");
    await createRecord(ref, content("one"));
    await updateRecord(ref, () => content("two"), { expectedVersion: 1 });
    await deleteRecord(ref);
    const again = await createRecord(ref, content("three"));
    expect(again.version).toBe(4);
    await expect(createRecord(ref, content("dup"))).rejects.toMatchObject({ code: "resource.conflict" });
    await deleteRecord(ref);
    expect((await createRecord(ref, content("four"))).version).toBe(6);
  });
});
