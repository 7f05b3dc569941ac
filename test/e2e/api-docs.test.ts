import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../../src/http/page-security.js";
import { describeInBrowser, launchBrowser, openPage, screenshot } from "./browser.js";
import { type PanelServer, startPanelServer } from "./server.js";

declare global {
  interface Window {
    cspViolations: string[];
  }
}

/**
 * Every CSP violation the page meets: the browser's console reports, and the page's own
 * `securitypolicyviolation` events, recorded by a script the browser injects before the page runs.
 */
async function watchForViolations(page: Page): Promise<() => Promise<string[]>> {
  const logged: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") logged.push(message.text());
  });
  page.on("pageerror", (error) => logged.push(error.message));
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.cspViolations.push(`${event.violatedDirective} refused ${event.blockedURI}`);
    });
  });
  return async () => [...logged, ...(await page.evaluate(() => window.cspViolations))];
}

describeInBrowser(
  "the panel API's documentation in Chromium (issue 13 item 4)",
  { timeout: 120_000 },
  () => {
    let server: PanelServer;
    let browser: Browser;

    beforeAll(async () => {
      [server, browser] = await Promise.all([startPanelServer(), launchBrowser()]);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    for (const address of ["/api/docs", "/api/docs/"]) {
      it(`issue 13 item 4: ${address} renders the operations under the panel's CSP, with no violation`, async () => {
        const page = await openPage(browser, server.url);
        const problems = await watchForViolations(page);
        const response = await page.goto(address);
        expect(response?.status()).toBe(200);
        expect(response?.headers()["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
        // The document's title, then known operations with their summaries' paths.
        await page.getByRole("heading", { name: /Gatehouse panel API/ }).waitFor();
        await page.getByText("/api/auth/sign-in", { exact: true }).first().waitFor();
        await expect(
          page.getByText("/api/switcher", { exact: true }).count(),
        ).resolves.toBeGreaterThan(0);
        await screenshot(page, `api-docs${address.endsWith("/") ? "-slash" : ""}`);
        expect(await problems()).toEqual([]);
        await page.context().close();
      });
    }
  },
);
