import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { AxeResults } from "axe-core";
import { type Browser, chromium, type Page } from "playwright-core";
import { describe } from "vitest";

/** Debian's Chromium (apt-get install chromium; .ci/run installs it). Never a downloaded browser. */
export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = path.resolve("test-results/screenshots");

/**
 * `describe` for browser tests: runs where Debian's Chromium is installed; fails in CI when it is
 * missing (the launch names the path); locally it skips with a message saying what to install.
 */
const skipBrowserTests = !existsSync(CHROMIUM) && !process.env.CI;
if (skipBrowserTests)
  process.stderr.write(
    `e2e: skipped, ${CHROMIUM} is missing (apt-get install chromium; CI installs it)\n`,
  );
export const describeInBrowser = describe.skipIf(skipBrowserTests);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** A fresh browser context (its own cookies) at a laptop's screen size, on the test server. */
export async function openPage(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 768 } });
  return context.newPage();
}

/** The page as it looks now, for the CI artifacts (test-results/screenshots/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  // A full-page capture stitches a scrolled page, drawing the fixed header mid-image: grow the
  // viewport to the content instead, capture it, and put it back.
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (viewport && height > viewport.height) await page.setViewportSize({ ...viewport, height });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  if (viewport && height > viewport.height) await page.setViewportSize(viewport);
}

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

/**
 * axe-core's WCAG 2.1 A and AA checks, run in the page as it is now; fails on any serious or
 * critical violation, listing each with the elements it found.
 */
export async function checkAccessibility(page: Page): Promise<void> {
  // axe measures colours as drawn: a toast or dialog mid-fade blends with what is behind it and
  // reads as low contrast. Judge the page once no finite transition or animation is running (a
  // spinner's endless one never ends, and is not what axe could misjudge).
  await page.waitForFunction(
    () =>
      document
        .getAnimations()
        .every(
          (animation) =>
            animation.playState !== "running" ||
            animation.effect?.getTiming().iterations === Number.POSITIVE_INFINITY,
        ),
    undefined,
    { polling: 50, timeout: 30_000 },
  );
  const loaded = await page.evaluate(() => "axe" in window);
  // Evaluated rather than added as a <script>: the panel's CSP rightly refuses inline scripts.
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() => {
    const axe = (window as unknown as { axe: { run(options: object): Promise<AxeResults> } }).axe;
    return axe.run({
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
      },
    });
  });
  const serious = results.violations.filter(
    (violation) => violation.impact === "serious" || violation.impact === "critical",
  );
  if (serious.length > 0) {
    const report = serious
      .map(
        (violation) =>
          `${violation.impact} ${violation.id}: ${violation.help}\n${violation.nodes
            .slice(0, 5)
            .map((node) => `  ${node.target.join(" ")}: ${node.failureSummary ?? ""}`)
            .join("\n")}`,
      )
      .join("\n");
    throw new Error(`accessibility violations on ${page.url()}:\n${report}`);
  }
}
