import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { nextCode } from "./server.js";

export interface Credentials {
  email: string;
  password: string;
  totpSecret: string;
}

/** Both sign-in steps through the page, as an admin would; ends on the Dashboard. */
export async function signInThroughUi(page: Page, admin: Credentials): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel(/^Email/).fill(admin.email);
  await page.getByLabel(/^Password/).fill(admin.password);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel(/^Authentication code/).fill(nextCode(admin.totpSecret));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}

/** Clicks a navigation link, then moves the pointer off it so its hover colour is not what axe sees. */
export async function navigate(page: Page, label: string): Promise<void> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label }).click();
  await page.mouse.move(1300, 740);
}

/** A Mantine modal fades in; axe judges contrast only once it is fully shown. */
export function fullyShown(dialog: Locator): Promise<void> {
  return expect
    .poll(() => dialog.evaluate((element) => getComputedStyle(element).opacity))
    .toBe("1");
}
