import type { Page } from "playwright-core";
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
