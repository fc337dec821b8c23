import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contractFetch } from "@questline/contract-testing/suite";
import { newWorkspaceId } from "@questline/contracts";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack } from "../scripts/lib/stack";
import { pollUntil } from "./poll";
import { stackLog } from "./stack-log";

type Stack = Awaited<ReturnType<typeof startStack>>;

/**
 * Every call to the platform goes through this fetch: each answer is checked against
 * docs/openapi.json and the reference (@questline/contract-testing); an undocumented route or an
 * off-schema answer fails the test. CONTRACT_AUDIT=1 reports instead (see that package's README).
 */
const checkedFetch = contractFetch(fetch, { audit: process.env.CONTRACT_AUDIT === "1" });

/**
 * The walking skeleton's thread, against the real local stack: an admin creates and
 * publishes a learning path through workers/api → signed gateway → Lambda handler →
 * DynamoDB Local → stream processor → stream handler → signed batch → workers/indexer → D1,
 * and an app user finds it with catalog search. Media round-trips through workers/media + R2.
 */
describe("end-to-end thread", () => {
  let stack: Stack;
  let stateDir: string;
  const workspaceA = newWorkspaceId();
  const workspaceB = newWorkspaceId();
  const title = `Ocean literacy ${workspaceA}`;
  const marker = `kelp${workspaceA.replace(/[^A-Za-z0-9]/g, "").toLowerCase()}`;
  let learningPathId = "";
  const log = stackLog(join(import.meta.dirname, "..", ".local", "e2e-stack.log"));

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "questline-e2e-"));
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

  const api = (path: string, token: string | undefined, init: RequestInit = {}) =>
    checkedFetch(`${stack.urls.api}${path}`, {
      ...init,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.body ? { "content-type": "application/json" } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });

  it("an admin creates and publishes a learning path; an app user finds it in catalog search", async () => {
    const admin = await stack.mintToken({ context: "dashboard", role: "admin", workspaceId: workspaceA });
    const created = await api("/dashboard/learning-paths", admin, {
      method: "POST",
      body: JSON.stringify({
        title,
        description: `A first dive into ${marker} forests and the ocean carbon cycle`,
        estimatedDuration: 20,
        defaultLang: "en",
        translations: [
          { lang: "en", title, description: `A first dive into ${marker} forests` },
          { lang: "it", title: `Alfabetizzazione oceanica ${workspaceA}`, description: `Foreste di ${marker}` },
        ],
      }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { learningPathId: string; stage: string; workspaceId: string };
    expect(body.workspaceId).toBe(workspaceA);
    expect(body.stage).toBe("DRAFT");
    learningPathId = body.learningPathId;

    const published = await api(`/dashboard/learning-paths/${learningPathId}/publish`, admin, { method: "POST" });
    expect(published.status).toBe(200);
    expect(((await published.json()) as { stage: string }).stage).toBe("PUBLISHED");

    const member = await stack.mintToken({ context: "app", workspaceId: workspaceA });
    const hit = await pollUntil("the published learning path to be searchable", async () => {
      const res = await api(`/app/catalog/search?q=${marker}`, member);
      if (res.status !== 200) return undefined;
      const results = (await res.json()) as { items: { itemId: string; itemType: string }[] };
      return results.items.find((i) => i.itemId === learningPathId);
    });
    expect(hit.itemType).toBe("learningPath");
  });

  it("another workspace's token cannot see the item, by search or by id", async () => {
    expect(learningPathId).not.toBe("");
    const otherMember = await stack.mintToken({ context: "app", workspaceId: workspaceB });
    const search = await api(`/app/catalog/search?q=${marker}`, otherMember);
    expect(search.status).toBe(200);
    expect(((await search.json()) as { items: unknown[] }).items).toEqual([]);

    const otherAdmin = await stack.mintToken({ context: "dashboard", role: "admin", workspaceId: workspaceB });
    const byId = await api(`/dashboard/learning-paths/${learningPathId}`, otherAdmin);
    expect(byId.status).toBe(404);
  });

  it("an admin uploads a file through workers/media and reads the same bytes back; other workspaces cannot", async () => {
    const admin = await stack.mintToken({ context: "dashboard", role: "editor", workspaceId: workspaceA });
    // A real PNG (1x1), so the magic-byte check accepts it; random trailing bytes make it unique.
    const png = Buffer.concat([
      Buffer.from(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0c0f0340000000049454e44ae426082",
        "hex",
      ),
      Buffer.from(crypto.getRandomValues(new Uint8Array(4096))),
    ]);
    const sha256 = Buffer.from(await crypto.subtle.digest("SHA-256", png)).toString("hex");
    const upload = await checkedFetch(
      `${stack.urls.media}/dashboard/media?fileName=${encodeURIComponent("../../ocean map.png")}&visibility=private&sha256=${sha256}`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/octet-stream" },
        body: png,
      },
    );
    expect(upload.status).toBe(201);
    const media = (await upload.json()) as { mediaId: string; key: string; url: string };
    expect(media.key.startsWith(`${workspaceA}/`)).toBe(true);
    expect(media.key).not.toContain("..");

    const member = await stack.mintToken({ context: "app", workspaceId: workspaceA });
    const read = await checkedFetch(media.url, { headers: { authorization: `Bearer ${member}` } });
    expect(read.status).toBe(200);
    expect(read.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await read.arrayBuffer()).equals(png)).toBe(true);

    const outsider = await stack.mintToken({ context: "app", workspaceId: workspaceB });
    const foreign = await checkedFetch(media.url, { headers: { authorization: `Bearer ${outsider}` } });
    expect([403, 404]).toContain(foreign.status);
    expect((await checkedFetch(media.url)).status).toBe(401);

    // A signed URL (the local stack passes the media worker its signing secret): a member mints
    // one for the private file; it delivers the same bytes without a token, and not once tampered.
    const signing = await checkedFetch(`${stack.urls.media}/media/signed-urls`, {
      method: "POST",
      headers: { authorization: `Bearer ${member}`, "content-type": "application/json" },
      body: JSON.stringify({ key: media.key, expiresIn: 120 }),
    });
    expect(signing.status).toBe(200);
    const { url: signedUrl } = (await signing.json()) as { url: string };
    const bySignature = await checkedFetch(signedUrl);
    expect(bySignature.status).toBe(200);
    expect(Buffer.from(await bySignature.arrayBuffer()).equals(png)).toBe(true);
    const tampered = new URL(signedUrl);
    const sig = tampered.searchParams.get("sig") ?? "";
    tampered.searchParams.set("sig", `${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`);
    const refused = await checkedFetch(tampered.toString());
    expect([401, 403]).toContain(refused.status);
    expect(Buffer.from(await refused.arrayBuffer()).includes(png.subarray(0, 64))).toBe(false);
  });

  it("a gamification write: an activity log through the edge credits the reward once, whatever the retries", async () => {
    const admin = await stack.mintToken({ context: "dashboard", role: "admin", workspaceId: workspaceA });
    const en = (label: string) => ({ defaultLang: "en", translations: [{ lang: "en", label }] });
    const publish = async (path: string, body: object, idField: string) => {
      const created = await api(`/dashboard/${path}`, admin, { method: "POST", body: JSON.stringify(body) });
      expect(created.status).toBe(201);
      const id = ((await created.json()) as Record<string, string>)[idField]!;
      expect((await api(`/dashboard/${path}/${id}/publish`, admin, { method: "POST" })).status).toBe(200);
      return id;
    };
    const activityName = `recycle${marker}`;
    const activityId = await publish("activities", { name: activityName, tags: [], ...en(activityName) }, "activityId");
    const coins = await publish("virtual-currencies", { name: "coins", ...en("Coins") }, "virtualCurrencyId");
    await publish(
      "reward-rules",
      {
        name: "ten per unit",
        matchCondition: null,
        ruleType: "INSTANCE",
        matchEntity: "Activity",
        matchEntityId: activityId,
        applicationMode: "ALWAYS",
        rewards: [
          { virtualCurrencyId: coins, redemptionMode: "AUTO", expression: { "*": [{ var: "event.value" }, 10] } },
        ],
        ...en("Ten per unit"),
      },
      "rewardRuleId",
    );

    const member = await stack.mintToken({ context: "app", workspaceId: workspaceA });
    const log = () =>
      api("/app/activity-logs", member, {
        method: "POST",
        body: JSON.stringify({ activityId, value: 2 }),
        headers: { "x-idempotency-key": `e2e-${marker}` },
      });
    const first = await log();
    expect(first.status).toBeLessThan(300);
    const retried = await log();
    expect(retried.status).toBe(first.status);
    expect(retried.headers.get("x-idempotent-replay")).toBe("true");
    expect(await retried.json()).toEqual(await first.json());

    const balance = await api(`/app/virtual-balances/${coins}`, member);
    expect(balance.status).toBe(200);
    expect(await balance.json()).toMatchObject({ amount: 20, availableAmount: 20 });

    // The published activity is catalog-indexed too: it reaches edge search through the stream.
    const found = await pollUntil("the published activity to be searchable", async () => {
      const res = await api(`/app/catalog/search?q=${activityName}&type=activity`, member);
      const body = (await res.json()) as { items: { itemId: string }[] };
      return body.items.find((i) => i.itemId === activityId);
    });
    expect(found.itemId).toBe(activityId);
  });

  it("missing, expired and foreign-signed tokens get 401", async () => {
    expect((await api(`/app/catalog/search?q=${marker}`, undefined)).status).toBe(401);

    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const foreign = await new SignJWT({
      token_use: "access",
      client_id: "questline-local-app",
      "custom:workspace_id": workspaceA,
      "custom:context": "app",
      "custom:user_id": "someone",
    })
      .setProtectedHeader({ alg: "RS256", kid: (await exportJWK(publicKey)).kid ?? "forged-kid" })
      .setIssuer("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_QuestLocal")
      .setSubject("someone")
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
    const foreignRes = await api(`/app/catalog/search?q=${marker}`, foreign);
    expect(foreignRes.status).toBe(401);
    expect(foreignRes.headers.get("www-authenticate")).toMatch(/^Bearer/);

    const expired = await stack.mintToken({ context: "app", workspaceId: workspaceA, expiresInSeconds: -600 });
    expect((await api(`/app/catalog/search?q=${marker}`, expired)).status).toBe(401);
  });
});
