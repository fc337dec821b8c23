import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import axe from "axe-core";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack } from "../scripts/lib/stack";
import { stackLog } from "./stack-log";

type Stack = Awaited<ReturnType<typeof startStack>>;

/** Debian's Chromium (`chromium`, in scripts/prerequisites.mjs); `QL_CHROMIUM` points elsewhere. */
const CHROMIUM = process.env.QL_CHROMIUM ?? "/usr/bin/chromium";
const SCREENSHOT = join(import.meta.dirname, "..", "docs", "screenshots", "api-docs.png");

/** What the page did while it loaded, as a browser reports it. */
interface PageEvents {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  errorResponses: string[];
  requested: string[];
}

function watch(page: Page): PageEvents {
  const events: PageEvents = {
    consoleErrors: [],
    pageErrors: [],
    failedRequests: [],
    errorResponses: [],
    requested: [],
  };
  page.on("console", (message) => {
    if (message.type() === "error") events.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => events.pageErrors.push(String(error)));
  page.on("request", (request) => events.requested.push(request.url()));
  page.on("requestfailed", (request) =>
    events.failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? "failed"}`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400) events.errorResponses.push(`${response.status()} ${response.url()}`);
  });
  return events;
}

/**
 * #13: the API reference page works without the internet. Headless Chromium opens `/docs` on
 * the real local stack (the api worker under wrangler dev) once and checks what a reader gets:
 * the rendered reference, styled by its same-origin stylesheet, nothing requested from another
 * origin, no failed or blocked request, no console error, no CSP violation, no serious or
 * critical axe-core finding; the screenshot goes to docs/screenshots/api-docs.png.
 */
describe("the API reference page in a browser", () => {
  let stack: Stack;
  let stateDir: string;
  let browser: Browser;
  const log = stackLog(join(import.meta.dirname, "..", ".local", "e2e-browser-stack.log"));

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set QL_CHROMIUM)`);
    }
    stateDir = mkdtempSync(join(tmpdir(), "questline-e2e-browser-"));
    const [started, launched] = await Promise.allSettled([
      startStack({ stateDir, quiet: true, onLog: log.write, seed: false }),
      chromium.launch({ executablePath: CHROMIUM }),
    ]);
    if (launched.status === "fulfilled") browser = launched.value;
    if (started.status === "fulfilled") stack = started.value;
    if (started.status === "rejected") {
      throw new Error(`the local stack did not start (its output: ${log.file})`, { cause: started.reason });
    }
    if (launched.status === "rejected") throw launched.reason;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it("renders the reference from the document, offline, under its CSP, accessibly", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const events = watch(page);
    // Every CSP violation the page reports (a script the CSP cannot block: injected by the browser).
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const cspViolations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

    const response = await page.goto(`${stack.urls.api}/docs`, { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'none'");

    // What a reader sees: the title, the groups, an operation, a schema, the error body.
    expect(await page.title()).toBe("Questline API reference");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toContain("Questline API");
    expect(await page.getByRole("heading", { level: 2, name: "Catalog", exact: true }).isVisible()).toBe(true);
    const search = page.locator("article#op-getAppCatalogSearch");
    expect(await search.getByRole("heading", { level: 3 }).textContent()).toBe(
      "Full-text search of the published catalog",
    );
    expect(await search.locator(".route").textContent()).toBe("GET /app/catalog/search");
    expect(await search.getByRole("table").getByRole("cell", { name: "q", exact: true }).count()).toBe(1);
    const schema = page.locator("article#schema-CatalogSearchResponse");
    expect(await schema.getByRole("heading", { level: 3 }).textContent()).toBe("CatalogSearchResponse");
    expect(await schema.locator("code.prop").allTextContents()).toEqual(
      expect.arrayContaining(["items", "nextCursor"]),
    );
    expect(await page.locator("section#errors code.prop").allTextContents()).toEqual(
      expect.arrayContaining(["error", "code", "message", "requestId"]),
    );
    // The same-origin stylesheet applied (a GET badge is green, the navigation sits beside the content).
    expect(await search.locator(".method").evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      "rgb(11, 92, 46)",
    );
    expect(await page.locator("nav").evaluate((el) => getComputedStyle(el).position)).toBe("sticky");

    // Nothing from another origin, nothing failed or blocked, no error, no violation.
    const origin = new URL(stack.urls.api).origin;
    expect(new Set(events.requested.map((url) => new URL(url).origin))).toEqual(new Set([origin]));
    expect(events.requested.map((url) => new URL(url).pathname)).toEqual(
      expect.arrayContaining(["/docs", "/docs.css"]),
    );
    expect(events.failedRequests).toEqual([]);
    expect(events.errorResponses).toEqual([]);
    expect(events.consoleErrors).toEqual([]);
    expect(events.pageErrors).toEqual([]);
    expect(await cspViolations()).toEqual([]);

    // Accessibility: axe-core's source evaluated in the page (through the browser, so the page's
    // CSP, which allows no script, does not apply to it), run over the whole document.
    await page.evaluate(axe.source);
    const results = await page.evaluate(() =>
      (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] }),
    );
    const serious = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0]?.target.join(" ")})`);
    expect(serious).toEqual([]);

    mkdirSync(join(SCREENSHOT, ".."), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // The CSP is enforced, and the violation check above can see a violation: an inline style is refused.
    await page.evaluate(() => {
      const style = document.createElement("style");
      style.textContent = "body{background:red}";
      document.head.append(style);
    });
    await expect.poll(cspViolations).toEqual([expect.stringMatching(/^style-src(-elem)? inline$/)]);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe("rgb(255, 0, 0)");
    await context.close();
  });
});
