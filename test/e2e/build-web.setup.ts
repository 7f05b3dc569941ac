import { existsSync } from "node:fs";
import { buildWebIfStale } from "../../scripts/web.js";
import { CHROMIUM } from "./browser.js";

/**
 * Vitest global setup: the e2e tests drive the built panel, so build web/dist once per run when
 * it is missing or older than web/src. Skipped where the browser tests will be skipped anyway.
 */
export default async function setup(): Promise<void> {
  if (!existsSync(CHROMIUM) && !process.env.CI) return;
  await buildWebIfStale();
}
