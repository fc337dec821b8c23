import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as questlineClient from "@questline/client";
import { contractFetch } from "@questline/contract-testing/suite";
import { newWorkspaceId } from "@questline/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack } from "../scripts/lib/stack";
import { expectedOutput, guideBlocks, runGuide } from "./guide";
import { pollUntil } from "./poll";
import { stackLog } from "./stack-log";

type Stack = Awaited<ReturnType<typeof startStack>>;

/**
 * docs/getting-started.md runs as written: its TypeScript blocks, in order, against the real
 * local stack with the tokens its step 0 gets, printing exactly what its output blocks show.
 */
describe("docs/getting-started.md", () => {
  let stack: Stack;
  let stateDir: string;
  const log = stackLog(join(import.meta.dirname, "..", ".local", "e2e-guide-stack.log"));

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "questline-guide-"));
    try {
      stack = await startStack({ stateDir, quiet: true, onLog: log.write });
    } catch (err) {
      throw new Error(`the local stack did not start (its output: ${log.file})`, { cause: err });
    }
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const workspaceId = newWorkspaceId();

  it("runs every step and prints what the guide shows", async () => {
    const blocks = guideBlocks(join(import.meta.dirname, "..", "docs", "getting-started.md"));
    expect(blocks.filter((b) => b.lang === "ts").length).toBeGreaterThan(3);
    const env = {
      QUESTLINE_URL: stack.urls.api,
      ADMIN_TOKEN: await stack.mintToken({ context: "dashboard", role: "admin", workspaceId }),
      APP_TOKEN: await stack.mintToken({ context: "app", workspaceId }),
    };
    // The guide's client, with every answer checked against docs/openapi.json and the reference.
    const checked = contractFetch(fetch, { audit: process.env.CONTRACT_AUDIT === "1" });
    const client = {
      ...questlineClient,
      createQuestlineClient: (options: questlineClient.QuestlineClientOptions) =>
        questlineClient.createQuestlineClient({ ...options, fetch: checked }),
    };
    const printed = await runGuide(blocks, { "@questline/client": client }, env);
    expect(printed).toEqual(expectedOutput(blocks));
  });

  it("publishes each effect of the guide's activity log to the event bus, once", async () => {
    // The stream processor picks up the log item and the stream handler sends its outbox.
    const wanted = ["activity-log.created", "reward.granted", "virtual-balance.changed"];
    const events = await pollUntil("the guide's domain events on the bus", async () => {
      const mine = stack.eventBus
        .events()
        .filter((e) => e.source === "questline" && (e.detail as { workspaceId?: string }).workspaceId === workspaceId);
      return wanted.every((type) => mine.some((e) => e["detail-type"] === type)) ? mine : undefined;
    });
    expect(events.map((e) => e["detail-type"]).sort()).toEqual(wanted);
    const credit = events.find((e) => e["detail-type"] === "virtual-balance.changed");
    expect(credit?.detail).toMatchObject({ type: "virtual-balance.changed", version: 1, data: { amountDelta: 20 } });
    expect(new Set(events.map((e) => e.detail.id)).size).toBe(events.length);
  });
});
