import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WEBHOOK_EVENT_TYPES } from "./catalog";

describe("the webhook event types", () => {
  it("are the catalog of docs/events.md", () => {
    const doc = readFileSync(new URL("../../../docs/events.md", import.meta.url), "utf8");
    const table = [...doc.matchAll(/^\| `([a-z.-]+)` \|/gm)].map((m) => m[1]);
    expect([...WEBHOOK_EVENT_TYPES].sort()).toEqual(table.sort());
  });
});
